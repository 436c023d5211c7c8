import Foundation

/// The default transport on Apple platforms: `URLSession` with async/await.
///
/// Failures are classified by what they prove, because that decides what the core may retry:
/// DNS, refused connections, TLS failures and connect timeouts are `NotSent`; a timeout after
/// sending is `TimedOut`; anything else is `Interrupted`.
public final class URLSessionTransport: HttpTransport, @unchecked Sendable {
    private let session: URLSession

    /// `session` may carry a delegate that trusts a private CA, or certificate pinning.
    public init(session: URLSession = .shared) {
        self.session = session
    }

    public func send(request: HttpRequest) async throws -> HttpResponse {
        // `request` prints (description, String(describing:)) without its secrets; its values
        // for the wire come from the accessors.
        let redacted = request.redacted()
        guard let url = URL(string: request.url()) else {
            throw TransportFailure.NotSent(reason: "\(redacted): not a URL")
        }
        let method = request.method()
        var r = URLRequest(url: url)
        r.httpMethod = method
        r.timeoutInterval = TimeInterval(request.timeoutMs()) / 1000
        for h in request.headers() { r.setValue(h.value, forHTTPHeaderField: h.name) }
        if method != "GET" { r.httpBody = request.body() }
        do {
            let (data, response) = try await session.data(for: r)
            guard let http = response as? HTTPURLResponse else {
                throw TransportFailure.Interrupted(reason: "\(redacted): not an HTTP answer")
            }
            let headers = http.allHeaderFields.map { HttpHeader(name: "\($0.key)", value: "\($0.value)") }
            return HttpResponse(status: UInt16(http.statusCode), headers: headers, body: data)
        } catch let failure as TransportFailure {
            throw failure
        } catch let error as URLError {
            throw Self.classify(error, redacted)
        }
    }

    static func classify(_ error: URLError, _ redacted: String) -> TransportFailure {
        let reason = "\(redacted): \(error.localizedDescription)"
        switch error.code {
        case .cannotFindHost, .cannotConnectToHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .appTransportSecurityRequiresSecureConnection, .unsupportedURL, .badURL:
            return .NotSent(reason: reason)
        case .timedOut:
            return .TimedOut(reason: reason)
        default:
            return .Interrupted(reason: reason)
        }
    }
}

/// Waits between retries with `Task.sleep`; a cancelled task abandons the call.
public final class TaskSleeper: Sleeper, @unchecked Sendable {
    public init() {}

    public func sleep(millis: UInt64) async throws {
        do {
            try await Task.sleep(nanoseconds: millis * 1_000_000)
        } catch {
            throw TransportFailure.Interrupted(reason: "cancelled while waiting to retry")
        }
    }
}

public extension Voximplant {
    /// A client signing its tokens with a service account's key, over `URLSession`.
    /// `credentials` is the path of its `credentials.json` or the JSON text itself; nil reads
    /// `VOXIMPLANT_CREDENTIALS` (a path or the JSON too). The base URL: `baseUrl`, then
    /// `VOXIMPLANT_BASE_URL`, then `https://api.voximplant.com`.
    static func withServiceAccount(
        credentials: String? = nil, baseUrl: String? = nil, transport: HttpTransport = URLSessionTransport()
    ) throws -> Voximplant {
        let auth: VoximplantAuth = credentials.map { .credentials(credentials: Secret($0)) } ?? .environment
        return try Voximplant(
            auth: auth, transport: transport, sleeper: TaskSleeper(),
            options: ClientOptions(baseUrl: baseUrl, binding: "swift"))
    }

    /// A client asking `provider` for tokens: before the first request, and again with
    /// `forceRefresh` after the server refused one or it expired.
    static func withTokenProvider(
        _ provider: TokenProvider, baseUrl: String? = nil, transport: HttpTransport = URLSessionTransport()
    ) throws -> Voximplant {
        try Voximplant(
            auth: .provider(provider: provider), transport: transport, sleeper: TaskSleeper(),
            options: ClientOptions(baseUrl: baseUrl, binding: "swift"))
    }
}

public extension Voiso {
    /// A client authenticating with the contact center's API key (nil: `VOISO_API_KEY`), over
    /// `URLSession`. The base URL: `baseUrl`, then `VOISO_BASE_URL`, then the default cluster.
    static func withApiKey(
        _ apiKey: String?, baseUrl: String? = nil, transport: HttpTransport = URLSessionTransport()
    ) throws -> Voiso {
        try Voiso(
            apiKey: apiKey.map { Secret($0) }, transport: transport, sleeper: TaskSleeper(),
            options: ClientOptions(baseUrl: baseUrl, binding: "swift"))
    }
}
