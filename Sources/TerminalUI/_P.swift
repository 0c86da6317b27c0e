enum _PTerminalUI {}
