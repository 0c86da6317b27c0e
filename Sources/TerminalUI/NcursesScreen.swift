import CNcursesw
import CrashwatchKit
import Foundation

/// The real terminal, through ncursesw.
///
/// The only file that imports `CNcursesw`.
///
/// Every call stays on the main actor: Debian's ncursesw is not thread-safe. Frames are written cell by cell and only
/// where they differ from the previous frame; ncurses then sends the minimal update.
@MainActor
public final class NcursesScreen: Screen {
    private let theme: Theme
    private var previous: CellGrid?
    private var pairs: [PairKey: Int16] = [:]
    private var isActive = false
    /// Set when the terminal hung up: nothing can be shown or read any more.
    private var terminalGone = false
    /// Set by `resume()`: the terminal no longer shows what curses last drew.
    private var repaintsWhole = false
    private let colorsAvailable: Bool
    private let colorCount: Int
    private let maxPairs: Int

    private struct PairKey: Hashable {
        var foreground: TerminalColor
        var background: TerminalColor
    }

    /// Takes over the terminal.
    ///
    /// Call `end()` (or let the app do it) to give it back.
    /// - Parameter mouse: clicks focus and select, the wheel scrolls (`mouse = false` leaves the mouse to the
    ///   terminal, for selecting text).
    public init(theme: Theme, mouse: Bool = true) {
        self.theme = theme
        cw_setlocale_all()
        cw_install_fatal_signal_restore()
        cw_atexit_restore()
        cw_set_escdelay(25)
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(cw_stdscr(), true)
        nodelay(cw_stdscr(), true)
        if mouse { cw_enable_mouse() }
        curs_set(0)
        colorsAvailable = has_colors()
        if colorsAvailable {
            start_color()
            // Honour the terminal's own background and foreground (pair colour -1).
            use_default_colors()
        }
        colorCount = colorsAvailable ? Int(cw_colors()) : 0
        maxPairs = colorsAvailable ? Int(min(cw_color_pairs(), 32_767)) : 0
        isActive = true
    }

    /// Makes every signal that would end the process (Ctrl-C, Ctrl-\, TERM, HUP, USR1, USR2, ALRM) set
    /// `quitRequested` instead, and ignores SIGPIPE, so the caller can leave its loop and restore the terminal.
    public func installQuitSignals() {
        cw_install_quit_signals()
    }

    public var quitRequested: Bool { cw_quit_requested() != 0 || terminalGone }

    public var size: Size {
        Size(width: Int(getmaxx(cw_stdscr())), height: Int(getmaxy(cw_stdscr())))
    }

    public func suspend() {
        guard isActive else { return }
        def_prog_mode()
        endwin()
    }

    public func resume() {
        guard isActive else { return }
        reset_prog_mode()
        // The editor drew over everything (and left the alternate screen): the next frame clears the terminal and is
        // sent whole, not as changes against what curses last drew.
        repaintsWhole = true
        previous = nil
    }

    /// Gives the terminal back: normal screen, cursor, echo.
    ///
    /// Safe to call more than once.
    public func end() {
        guard isActive else { return }
        isActive = false
        cw_restore_terminal()
    }

    public func present(_ grid: CellGrid) {
        guard isActive else { return }
        let current = size
        let reuse = previous?.size == grid.size && previous?.size == current
        if !reuse { erase() }
        let width = min(grid.size.width, current.width)
        let height = min(grid.size.height, current.height)
        for y in 0..<height {
            for x in 0..<width {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                if reuse, let previous, previous[x, y] == cell { continue }
                draw(cell, x: x, y: y)
            }
        }
        previous = grid
        if repaintsWhole {
            repaintsWhole = false
            clearok(cw_stdscr(), true)
        }
        refresh()
    }

    private func draw(_ cell: Cell, x: Int, y: Int) {
        let look = theme.appearance(of: cell.role, selected: cell.isSelected)
        var attributes = cw_a_normal()
        if look.bold { attributes |= cw_a_bold() }
        if look.dim { attributes |= cw_a_dim() }
        if look.reverse { attributes |= cw_a_reverse() }
        if look.underline { attributes |= cw_a_underline() }
        let pair = pairNumber(look.foreground, look.background)
        var scalars = cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        scalars.append(0)
        // Writing the bottom-right cell scrolls some terminals; ncurses reports ERR there, which is harmless.
        _ = scalars.withUnsafeBufferPointer { buffer in
            cw_put_cell(Int32(y), Int32(x), buffer.baseAddress, attributes, pair)
        }
    }

    private func pairNumber(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        guard colorsAvailable else { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if key == PairKey(foreground: .terminalDefault, background: .terminalDefault) { return 0 }
        if let pair = pairs[key] { return pair }
        guard pairs.count + 1 < maxPairs else { return 0 }
        let pair = Int16(pairs.count + 1)
        init_pair(pair, cursesColor(foreground), cursesColor(background))
        pairs[key] = pair
        return pair
    }

    private func cursesColor(_ color: TerminalColor) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let index):
            // A 256-colour theme on an 8- or 16-colour terminal falls back to the terminal's default.
            return index < colorCount ? Int16(index) : -1
        }
    }

    public func ringBell() { _ = beep() }

    /// Sleeps on the terminal's input: a key wakes it at once, an idle dashboard does not spin.
    public func waitForInput(timeout: Duration) async {
        let milliseconds = Int32(min(timeout / .milliseconds(1), 1_000))
        let hungUp = await BlockingWork.perform { () -> Bool in
            var request = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, milliseconds) > 0 else { return false }
            return request.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
        }
        // The terminal went away (an SSH connection dropped, a window closed) without a SIGHUP reaching us: the
        // dashboard ends as it does on one, instead of polling a dead terminal for ever.
        if hungUp { terminalGone = true }
    }

    public func nextKey() -> Key? {
        guard isActive else { return nil }
        var value: wint_t = 0
        let status = wget_wch(cw_stdscr(), &value)
        if status == ERR { return nil }
        let code = Int32(bitPattern: value)
        if status == KEY_CODE_YES { return functionKey(code) }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_MOUSE:
            var x: Int32 = 0
            var y: Int32 = 0
            switch cw_next_mouse(&x, &y) {
            case 1: return .mouse(MouseEvent(.press, x: Int(x), y: Int(y)))
            case 4: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
            case 5: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
            default: return nil
            }
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_BTAB: return .backTab
        case cw_key_resize(): return .resize
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}
