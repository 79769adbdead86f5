import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Webhooks over Foundation's URLSession (FoundationNetworking on Linux, part of the toolchain):
/// an ephemeral session (no cookies, no cache), each request with its own timeout.
///
/// The timeout is enforced here, by racing the request against a timer and cancelling the loser:
/// on Linux, URLSession does not apply `timeoutInterval` to a server that accepts the connection
/// and then stays silent (the request waits until the server closes it).
public final class URLSessionTransport: WebhookTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func post(_ request: WebhookRequest) async -> WebhookResult {
        await withTaskGroup(of: WebhookResult?.self) { group in
            group.addTask { await self.send(request) }
            group.addTask {
                try? await Task.sleep(for: .seconds(request.timeout))
                return Task.isCancelled ? nil : .failed("timed out after \(request.timeout) s")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed("cancelled")
        }
    }

    /// The request itself; nil when it was cancelled (the timer won).
    private func send(_ request: WebhookRequest) async -> WebhookResult? {
        guard let url = URL(string: request.url) else { return .failed("\(request.url) is not a URL") }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = "POST"
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = Data(request.body)
        do {
            let (_, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else { return .failed("the answer is not HTTP") }
            return .status(http.statusCode)
        } catch where Task.isCancelled {
            return nil
        } catch let error as URLError where error.code == .timedOut {
            return .failed("timed out after \(request.timeout) s")
        } catch let error as URLError {
            return .failed("connection failed: \(error.code.rawValue) \(error.localizedDescription)")
        } catch {
            return .failed("connection failed: \(error)")
        }
    }
}
