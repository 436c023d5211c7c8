import Foundation

/// A password, key or token. Prints as `[redacted]`, so a parameter record holding one can be
/// logged safely; only the transport sees the value.
public struct Secret: Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The value itself, for the wire.
    public func reveal() -> String { value }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
}
