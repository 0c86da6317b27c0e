import DequeModule
import LogWatch

/// The line numbers a pane can show, in order: every held line, or only those its filter matched, up to the pause
/// point.
///
/// Index arithmetic without building an array per frame.
struct ViewLines {
    private let filtered: Deque<Int>?
    private let first: Int
    let count: Int

    init(buffer: LogBuffer, filtered: Deque<Int>?, limit: Int) {
        self.first = buffer.firstNumber
        self.filtered = filtered
        if let filtered {
            count = Self.lowerBound(in: filtered, for: limit + 1)
        } else {
            count = max(0, min(limit, buffer.lastNumber) - buffer.firstNumber + 1)
        }
    }

    func number(at index: Int) -> Int {
        if let filtered { return filtered[index] }
        return first + index
    }

    /// Index of the first line numbered `number` or later; `count` when there is none.
    func index(atOrAfter number: Int) -> Int {
        if let filtered { return min(count, Self.lowerBound(in: filtered, for: number)) }
        return min(count, max(0, number - first))
    }

    private static func lowerBound(in numbers: Deque<Int>, for value: Int) -> Int {
        var low = 0, high = numbers.count
        while low < high {
            let mid = (low + high) / 2
            if numbers[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
