// Package app wires Atelier together: configuration, database, Redis, the GraphQL schema and the
// HTTP server, with start-up seeding and graceful shutdown. main and the end-to-end tests use it.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/blob"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/httpapi"
	"github.com/atelier/atelier/server/jobs"
	"github.com/atelier/atelier/server/mail"
	"github.com/atelier/atelier/server/metrics"
	"github.com/atelier/atelier/server/orders"
	"github.com/atelier/atelier/server/payments"
	"github.com/atelier/atelier/server/photo"
	"github.com/atelier/atelier/server/pubsub"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/ratelimit"
	"github.com/atelier/atelier/server/redisconn"
	"github.com/atelier/atelier/server/seed"
	"github.com/atelier/atelier/server/studio"
)

// App is a running Atelier server instance.
type App struct {
	cfg    config.Config
	logger *slog.Logger
	DB     *db.DB
	Redis  *redisconn.Conn
	HTTP   *httpapi.Server
	// Hub carries Redis Pub/Sub to subscriptions.
	Hub *pubsub.Hub
	// Sessions runs configuration sessions.
	Sessions *configuration.Service
	// Metrics are this instance's Prometheus metrics (served at /metrics, or on METRICS_ADDR).
	Metrics *metrics.Metrics
	// Jobs is the durable job queue (email).
	Jobs          *jobs.Queue
	server        *http.Server
	metricsServer *http.Server
}

// New opens the database (migrating it and seeding an empty one) and Redis, and builds the
// handler. A Redis that does not answer yet is not fatal: /readyz reports it until it returns.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	database, err := db.Open(ctx, cfg.DatabaseURL, true)
	if err != nil {
		return nil, err
	}
	rdb, err := redisconn.Open(ctx, cfg.RedisURL)
	if err != nil {
		if rdb == nil {
			_ = database.Close()
			return nil, err
		}
		logger.Warn("redis is not reachable yet; configuration sessions are unavailable until it is",
			"err", err)
	}
	a := &App{cfg: cfg, logger: logger, DB: database, Redis: rdb, Metrics: metrics.New()}
	rdb.Client.AddHook(a.Metrics.RedisHook())
	a.Metrics.WatchDB(database.SQL)
	a.Hub = pubsub.NewHub(rdb.Client, logger)
	studioStore := studio.NewStore(database.Client)
	// One workshop calendar for every ship date, the sessions' and the orders'.
	cal := workshopCalendar(cfg)
	a.Sessions = configuration.NewService(configuration.Options{
		Store:    sessionStore(rdb, cfg),
		Client:   database.Client,
		Studio:   studioStore,
		Calendar: cal,
	})
	UseHooks(database.Client, a.Sessions, a.Metrics)
	res, err := seed.Run(ctx, database.Client, time.Now())
	if err != nil {
		_ = a.Hub.Close()
		_ = rdb.Close()
		_ = database.Close()
		return nil, err
	}
	if len(res.Created) > 0 {
		logger.Info("seeded demo catalog", "products", res.Created)
	}
	bus := events.NewBus(database.Client, a.Hub, cfg.RedisPrefix, logger)
	if cfg.FaultKillBeforePublish {
		logger.Warn("ATELIER_FAULT_KILL_BEFORE_PUBLISH: this process dies at its first order event")
		bus.BeforePublish = func() {
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Kill()
			}
			select {} // SIGKILL is on its way: nothing after the commit may run
		}
	}
	provider, webhooks := paymentProvider(cfg.Money)
	if a.Jobs, err = openJobs(ctx, cfg, database, provider, logger); err != nil {
		_ = rdb.Close()
		_ = database.Close()
		return nil, err
	}
	photos, err := openPhotos(ctx, cfg.Photos, logger)
	if err != nil {
		_ = rdb.Close()
		_ = database.Close()
		return nil, err
	}
	bags := bag.NewService(bag.NewStore(rdb.Client, cfg.RedisPrefix, cfg.SessionTTL), a.Sessions,
		database.Client, nil)
	orderService := orders.NewService(database.Client, a.Sessions, bus, cal, nil,
		orders.WithProvider(provider), orders.WithQueue(a.Jobs), orders.WithBags(bags),
		orders.WithPhotos(photos),
		orders.WithFindLimits(
			ratelimit.New(rdb.Client, cfg.RedisPrefix+"find-order:", findPerEmail, findWindow),
			ratelimit.New(rdb.Client, cfg.RedisPrefix+"find-order:", findPerClient, findWindow)))
	routes := map[string]http.Handler{}
	if webhooks != nil {
		routes["POST /webhooks/stripe"] = payments.WebhookHandler(*webhooks,
			orderService.ApplyPaymentEvent, logger)
	}
	authn := auth.NewAuthenticator(database.Client, nil)
	routes["POST /api/orders/{id}/photos"] = orders.UploadHandler(orderService, authn.Context, logger)
	routes["GET "+photoPath+"{key...}"] = orders.ServeHandler(orderService, logger)
	logger.Info("payments and mail", "provider", provider.Name(), "mail", mailMode(cfg.Money))
	deps := graph.Deps{
		Client:   database.Client,
		Studio:   studioStore,
		Sessions: a.Sessions,
		Hub:      a.Hub,
		Orders:   orderService,
		Bags:     bags,
		Bus:      bus,
		Logger:   logger,
	}
	schema := graph.NewSchema(deps)
	a.HTTP = httpapi.New(httpapi.Options{
		Schema: schema,
		// Configuration answers written without gqlgen's per-field executor (issue 19).
		// Each response's lists are read in one batch per list (issue 13).
		Extensions: []graphql.HandlerExtension{graph.NewConfigurationEncoder(schema, 0),
			graph.Loaders{Client: database.Client}},
		ErrorPresenter:  graph.ErrorPresenter(logger),
		RecoverFunc:     graph.RecoverFunc(logger),
		Authenticate:    authn.Context,
		Recheck:         authn.Recheck,
		Logger:          logger,
		AllowedOrigins:  cfg.CORSAllowedOrigins,
		OriginHosts:     cfg.OriginHosts(),
		Dev:             cfg.Dev,
		ComplexityLimit: cfg.ComplexityLimit,
		MaxDepth:        cfg.Limits.MaxQueryDepth,
		MaxAliases:      cfg.Limits.MaxAliases,
		MaxBodyBytes:    cfg.Limits.MaxBodyBytes,
		// Bounds checked before validation, and mutations per operation.
		MaxTokens:         cfg.Limits.MaxTokens,
		MaxSelections:     cfg.Limits.MaxSelections,
		MaxMutationFields: cfg.Limits.MaxMutationFields,
		APQClientQuota:    cfg.Limits.APQClientQuota,

		MaxSubscriptionsPerConnection: cfg.Limits.MaxSubscriptionsPerConnection,
		MaxSubscriptionsPerClient:     cfg.Limits.MaxSubscriptionsPerClient,
		MaxWebSocketsPerClient:        cfg.Limits.MaxWebSocketsPerClient,
		MutationLimiter: ratelimit.New(rdb.Client, cfg.RedisPrefix+"mutation:",
			cfg.Limits.RateLimitMutations, cfg.Limits.RateLimitWindow),
		TrustedProxies: cfg.TrustedProxies,
		ExemptClients:  cfg.ExemptClients,
		APQRedis:       rdb.Client,
		RedisPrefix:    cfg.RedisPrefix,
		APQTTL:         cfg.Limits.APQTTL,
		Metrics:        a.Metrics,
		ServeMetrics:   cfg.MetricsAddr == "",
		Database:       httpapi.PingFunc(database.SQL.PingContext),
		Redis:          httpapi.PingFunc(func(ctx context.Context) error { return rdb.Client.Ping(ctx).Err() }),
		WebDir:         cfg.WebDir,
		Routes:         routes,
		// orderEvents over WebSocket: one encoding per event for every subscriber.
		Direct: graph.NewDirect(deps),
	})
	errorLog := slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	a.server = &http.Server{
		Handler:           a.HTTP,
		ReadHeaderTimeout: cfg.Timeouts.ReadHeader,
		// Read and write timeouts bound ordinary requests; httpapi lifts them for WebSocket and
		// SSE streams.
		ReadTimeout:  cfg.Timeouts.Read,
		WriteTimeout: cfg.Timeouts.Write,
		IdleTimeout:  cfg.Timeouts.Idle,
		ErrorLog:     errorLog,
	}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics.Handler())
		a.metricsServer = &http.Server{
			Addr: cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: cfg.Timeouts.ReadHeader,
			ReadTimeout: cfg.Timeouts.Read, WriteTimeout: cfg.Timeouts.Write, ErrorLog: errorLog,
		}
	}
	return a, nil
}

// countDatabaseErrors counts failed ent queries and mutations; not-found, validation and
// constraint errors are answers, not failures.
func countDatabaseErrors(client *ent.Client, m *metrics.Metrics) {
	failed := func(err error) bool {
		return err != nil && !ent.IsNotFound(err) && !ent.IsNotSingular(err) &&
			!ent.IsValidationError(err) && !ent.IsConstraintError(err) &&
			!errors.Is(err, context.Canceled)
	}
	client.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if failed(err) {
				m.DatabaseError("query")
			}
			return v, err
		})
	}))
	client.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, mu ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, mu)
			if failed(err) {
				m.DatabaseError("mutation")
			}
			return v, err
		})
	})
}

// Serve accepts connections on l until ctx is done, then shuts down gracefully: subscription
// streams are closed with "going away", in-flight requests drain (up to the shutdown timeout),
// and the database and Redis are closed.
func (a *App) Serve(ctx context.Context, l net.Listener) error {
	a.startJobs(ctx)
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(l) }()
	if a.metricsServer != nil {
		ml, err := net.Listen("tcp", a.metricsServer.Addr)
		if err != nil {
			_ = a.server.Close()
			<-errc
			a.close()
			return fmt.Errorf("listening for metrics on %s: %w", a.metricsServer.Addr, err)
		}
		a.logger.Info("serving metrics", "addr", ml.Addr().String())
		go func() { _ = a.metricsServer.Serve(ml) }()
		defer a.metricsServer.Close()
	}
	a.logger.Info("serving", "addr", l.Addr().String(), "database", a.DB.Dialect,
		"redis", redisMode(a.cfg), "dev", a.cfg.Dev)
	select {
	case err := <-errc:
		a.close()
		return fmt.Errorf("serving http: %w", err)
	case <-ctx.Done():
	}
	a.logger.Info("shutting down", "timeout", a.cfg.ShutdownTimeout)
	a.HTTP.BeginShutdown()
	drainCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	err := a.server.Shutdown(drainCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		a.logger.Warn("drain timed out; closing remaining connections")
		_ = a.server.Close()
	}
	<-errc
	if werr := a.HTTP.WaitStreams(drainCtx); werr != nil {
		a.logger.Warn("websocket connections did not close in time", "err", werr)
	}
	a.close()
	a.logger.Info("shut down cleanly")
	return err
}

// startJobs starts the job queue, which outlives ctx: close stops it after the HTTP drain,
// letting running jobs finish. A queue that cannot start (the database is away) delays mail,
// never orders: the server serves on and the queue is started again every few seconds.
func (a *App) startJobs(ctx context.Context) {
	err := a.Jobs.Start(context.WithoutCancel(ctx))
	if err == nil {
		return
	}
	a.logger.Error("starting the job queue failed; retrying", "err", err)
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := a.Jobs.Start(context.WithoutCancel(ctx)); err == nil {
					a.logger.Info("job queue started")
					return
				}
			}
		}
	}()
}

func (a *App) close() {
	// Running jobs finish (each is bounded by its timeout); unfinished ones run again later.
	stopCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := a.Jobs.Stop(stopCtx); err != nil {
		a.logger.Warn("stopping job queue", "err", err)
	}
	_ = a.Hub.Close()
	if err := a.Redis.Close(); err != nil {
		a.logger.Warn("closing redis", "err", err)
	}
	if err := a.DB.Close(); err != nil {
		a.logger.Warn("closing database", "err", err)
	}
}

func redisMode(cfg config.Config) string {
	if cfg.RedisURL == "" {
		return "embedded"
	}
	return "external"
}

// workshopCalendar is the business-day calendar ship dates are computed with. Orders placed
// after 14:00 workshop time start the next business day.
func workshopCalendar(cfg config.Config) quote.Calendar {
	cal := quote.Calendar{Location: cfg.Timezone, CutoffHour: 14, Closures: cfg.Closures}
	for _, h := range cfg.Holidays {
		// Load validated every holiday already.
		if d, err := quote.ParseDate(h); err == nil {
			cal.Holidays = append(cal.Holidays, d)
		}
	}
	return cal
}

// sessionStore keeps sessions in rdb. The in-process Redis runs Lua scripts slowly (a new
// interpreter per call), so there updates use WATCH/MULTI instead of the CAS script; a real
// Redis runs the script faster than the round trips of WATCH.
func sessionStore(rdb *redisconn.Conn, cfg config.Config) *configuration.Store {
	store := configuration.NewStore(rdb.Client, cfg.RedisPrefix, cfg.SessionTTL)
	if rdb.Embedded != nil {
		store.UseOptimisticCAS()
	}
	return store
}

// "Find my order" limits: per email address and per client address, per window.
const (
	findPerEmail  = 5
	findPerClient = 20
	findWindow    = 15 * time.Minute
)

// paymentProvider is Stripe when its secret key is set, the manual provider otherwise; with
// Stripe it also returns the webhook verifier.
func paymentProvider(m config.Money) (payments.Provider, *payments.Webhook) {
	if m.StripeSecretKey == "" {
		return payments.Manual{}, nil
	}
	return payments.NewStripe(payments.StripeConfig{
			SecretKey: m.StripeSecretKey, PublishableKey: m.StripePublishableKey, APIURL: m.StripeAPIURL,
		}), &payments.Webhook{
			Secret: m.StripeWebhookSecret, Tolerance: m.WebhookTolerance,
		}
}

// openJobs opens the job queue that sends email through SMTP_URL, or into the outbox.
func openJobs(ctx context.Context, cfg config.Config, database *db.DB, provider payments.Provider,
	logger *slog.Logger,
) (*jobs.Queue, error) {
	m := cfg.Money
	sender, err := mail.Open(m.SMTPURL, m.MailFrom, m.Outbox, logger)
	if err != nil {
		return nil, &config.Error{Setting: "SMTP_URL", Msg: err.Error()}
	}
	return jobs.Open(ctx, jobs.Options{
		DB: database, DatabaseURL: cfg.DatabaseURL, Sender: sender, PublicURL: m.PublicURL,
		WorkshopEmail: m.WorkshopEmail, TakesMoney: provider.TakesMoney(),
		RescueAfter: m.JobRescueAfter, Logger: logger,
	})
}

// mailMode says where mail goes, without the SMTP password.
func mailMode(m config.Money) string {
	if m.SMTPURL == "" {
		return "outbox " + m.Outbox
	}
	return "smtp"
}

// photoPath is where signed photo URLs point.
const photoPath = "/photos/"

// openPhotos opens the photo store of BLOB_URL. Without PHOTO_URL_SECRET the URLs are signed
// with a random key: fine for one instance, while several behind one address need the same key.
func openPhotos(ctx context.Context, cfg config.Photos, logger *slog.Logger) (*orders.Photos, error) {
	store, err := blob.Open(ctx, cfg.BlobURL, func(k string) string { return cfg.S3Credentials[k] })
	if err != nil {
		return nil, &config.Error{Setting: "BLOB_URL", Msg: err.Error()}
	}
	key := cfg.URLSecret
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
		logger.Info("PHOTO_URL_SECRET is not set: photo URLs are signed with a key of this " +
			"process (set it when several instances serve one shop)")
	}
	lim := photo.DefaultLimits
	lim.MaxBytes = cfg.MaxBytes
	return &orders.Photos{
		Store: store, Limits: lim,
		Signer: photo.Signer{Key: key, TTL: cfg.URLTTL, Base: photoPath},
	}, nil
}
