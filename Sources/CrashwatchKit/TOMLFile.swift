public import TOMLKit

/// The TOML data files (`crashwatch.toml`, themes, patterns) read one way: a syntax error names the file, line and
/// column.
public enum TOMLFile {
    public static func parse(_ text: String, file: String) throws(RuleFileError) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw RuleFileError(
                file: file,
                problem: "not valid TOML at line \(error.source.begin.line), column \(error.source.begin.column)")
        } catch {
            throw RuleFileError(file: file, problem: "not valid TOML (\(error))")
        }
    }
}
