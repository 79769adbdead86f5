import Hummingbird
import Logging
import Metrics
import OptGateLedger
import Prometheus

/// Builds the HTTP server: the router with its middleware and routes, over `ServerServices`.
///
///     /health, /metrics, /openapi.json       public
///     /u/{link}, /p/{link}                    public: unsubscribe and preference pages (the signed link is the credential)
///     /v1/...                                 bearer API key, scopes per route, per-key rate limit
public enum OptGateServer {
    public static func router(services: ServerServices) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: TelemetryMiddleware(metrics: services.metrics))
        OperationsRoutes(services: services).register(on: router)
        UnsubscribeRoutes(services: services).register(on: router)
        PreferenceRoutes(services: services).register(on: router)
        let v1 = router.group("v1")
            .add(middleware: AuthMiddleware(keyring: services.keyring, limiter: services.limiter, metrics: services.metrics))
        EventRoutes(services: services).register(on: v1)
        ContactRoutes(services: services).register(on: v1)
        DecisionRoutes(services: services).register(on: v1)
        OrganisationRoutes(services: services).register(on: v1)
        EvidenceRoutes(services: services).register(on: v1)
        LinkRoutes(services: services).register(on: v1)
        SMSRoutes(services: services).register(on: v1)
        CampaignRoutes(services: services).register(on: v1)
        PropagationRoutes(services: services).register(on: v1)
        return router
    }

    public static func application(services: ServerServices, logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(services: services),
            configuration: .init(
                address: .hostname(services.configuration.host, port: services.configuration.port), serverName: "OptGate"),
            logger: logger)
    }
}

extension OptGateServer {
    /// Runs the server until SIGINT or SIGTERM, then shuts down gracefully: stops accepting
    /// connections, lets requests in flight finish, commits every write already queued, and lets
    /// the webhooks in flight finish (what is not yet confirmed stays in the outbox).
    public static func run(services: ServerServices, logger: Logger) async throws {
        let app = application(services: services, logger: logger)
        let checkpointer: Checkpointer?
        do {
            checkpointer = try Checkpointer.start(for: services.ledger.store, metrics: services.metrics, logger: logger)
        } catch {
            checkpointer = nil
            logger.error("could not open a connection for background checkpoints; commits copy the log themselves", metadata: ["error": "\(error)"])
        }
        let propagator = services.outbox.map { outbox in
            var settings = PropagationSettings()
            settings.timeout = Double(services.configuration.webhookTimeout)
            settings.retry.maxAttempts = services.configuration.webhookMaxAttempts
            return Propagator(
                store: outbox.store, secret: services.ledger.secret, settings: settings, wake: services.propagationWake,
                metrics: services.metrics, logger: logger, clock: services.clock)
        }
        let propagation = Task.detached { await propagator?.run() }
        let watcher = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(services.configuration.watchInterval))
                services.watchForOtherWriters()
            }
        }
        defer { watcher.cancel() }
        let warmUp = Task.detached(priority: .utility) {
            let start = ContinuousClock.now
            do {
                var reported = 0
                let count = try services.timelines.warmUp(from: services.ledger) { read, total in
                    // A line at each quarter: a large ledger takes a minute or more.
                    let quarter = Int(read * 4 / Swift.max(total, 1))
                    guard quarter > reported, quarter < 4 else { return }
                    reported = quarter
                    logger.notice("loading contacts into memory for decisions", metadata: [
                        "done": "\(quarter * 25)%", "entries_read": .stringConvertible(read), "entries": .stringConvertible(total),
                    ])
                }
                logger.notice("decisions from memory", metadata: [
                    "contacts": .stringConvertible(count), "duration": .string(String(describing: ContinuousClock.now - start)),
                ])
            } catch {
                logger.error("warming the timeline cache failed; decisions read the ledger", metadata: ["error": "\(error)"])
            }
        }
        defer { warmUp.cancel() }
        // The contacts the ledger holds, so that writes for them need no look-up (GroupCommitter.knownContacts).
        let known = Task.detached(priority: .utility) {
            do {
                let count = try services.committer.knownContacts.load(from: services.ledger)
                logger.notice("contacts known to the writer", metadata: ["contacts": .stringConvertible(count)])
            } catch {
                logger.error("loading the known contacts failed; writes look their contacts up", metadata: ["error": "\(error)"])
            }
        }
        defer { known.cancel() }
        do {
            try await app.runService()
        } catch {
            await services.committer.shutdown()
            services.states.stop()
            services.stopWatching()
            checkpointer?.stop()
            propagator?.stop()
            await propagation.value
            throw error
        }
        await services.committer.shutdown()
        services.states.stop()
        services.stopWatching()
        checkpointer?.stop()
        propagator?.stop()
        await propagation.value
        logger.notice("stopped; every acknowledged write is on disk")
    }
}

extension OptGateServer {
    /// Sends swift-metrics from every library in the process (Hummingbird's included) to the
    /// server's Prometheus registry. Process-wide: call once, from the executable.
    public static func bootstrapMetrics(_ metrics: ServerMetrics) {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
    }
}
