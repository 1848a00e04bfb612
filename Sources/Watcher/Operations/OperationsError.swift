// OperationsError: what can go wrong setting up the operations endpoints and alerts.

/// Errors of the operations layer; `description` is for the operator.
public enum OperationsError: Error, Sendable, CustomStringConvertible {
    /// The operations address is not `HOST:PORT`, `[IPV6]:PORT` or `PORT`.
    case badAddress(String)
    /// The alert webhook is not an http or https URL.
    case badWebhook(String)

    public var description: String {
        switch self {
        case let .badAddress(a):
            return "operations address \"\(a)\" is not HOST:PORT, [IPV6]:PORT or PORT (0-65535), e.g. 127.0.0.1:9464"
        case let .badWebhook(u):
            return "alert webhook \"\(u)\" is not an http:// or https:// URL"
        }
    }
}
