import OptGateLedger

extension Problem {
    /// The answer for an error the ledger or the write path raised, naming the field at fault;
    /// `path` prefixes the field (the record's place in a batch).
    static func from(_ error: any Error, path: String = "", line: Int? = nil) -> any Error {
        func at(_ field: String) -> String {
            path.isEmpty ? field : field.isEmpty ? path : path + "." + field
        }
        switch error {
        case let error as LedgerError:
            switch error {
            case .conflictingRecord:
                return Problem.conflict(error.message, field: at(error.field))
            case .identifierTaken:
                return Problem.conflict(error.message, field: at(error.field))
            case .corrupt:
                return error
            default:
                return Problem.invalid(error.message, [FieldError(field: at(error.field), line: line, detail: error.message)])
            }
        case let problem as ImportProblem:
            return Problem.invalid(problem.message, [FieldError(field: at(problem.field), line: line, detail: problem.message)])
        case is GroupCommitter.ShuttingDown:
            return Problem.unavailable
        default:
            return error
        }
    }
}
