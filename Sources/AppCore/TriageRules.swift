public import CrashwatchKit
import Foundation
public import LogWatch

/// Loads `masking.txt` and `suspicious.txt` from the rule folders (shipped first, then the user's; lines add up).
public enum TriageRules {
    public static func load(directories: [String]) throws(RuleFileError) -> (
        MessageTemplater, SuspiciousRules, warning: String?
    ) {
        var masking = MaskingRules()
        var suspicious = SuspiciousRules()
        for directory in directories {
            let maskingPath = "\(directory)/masking.txt"
            if let text = try? String(contentsOfFile: maskingPath, encoding: .utf8) {
                try masking.add(text, file: maskingPath)
            }
            let suspiciousPath = "\(directory)/suspicious.txt"
            if let text = try? String(contentsOfFile: suspiciousPath, encoding: .utf8) {
                try suspicious.add(text, file: suspiciousPath)
            }
        }
        let warning =
            masking.rules.isEmpty
            ? "no masking rules found (Rules/masking.txt): warnings are grouped by their exact text" : nil
        return (MessageTemplater(rules: masking), suspicious, warning)
    }
}

extension TriageRules {
    /// The triage model for `config`, with rules from `directories`; a rule problem becomes the returned message.
    public static func model(config: AppSettings, directories: [String]) -> (TriageModel, String?) {
        do {
            let (templater, suspicious, warning) = try load(directories: directories)
            return (
                TriageModel(
                    templater: templater, suspicious: suspicious, errorCapacity: config.errorRingSize,
                    escalation: config.escalation),
                warning
            )
        } catch {
            return (
                TriageModel(
                    templater: MessageTemplater(rules: MaskingRules()), suspicious: SuspiciousRules(),
                    errorCapacity: config.errorRingSize, escalation: config.escalation),
                "\(error); warnings are grouped by their exact text"
            )
        }
    }
}
