// Command atelier is the Atelier server: `serve` (the default) runs the GraphQL API and the SPA,
// `seed` loads the demo catalog, `token` manages staff tokens.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/readyline"
	"github.com/atelier/atelier/server/seed"
)

func main() {
	os.Exit(run(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}

const usage = `usage: atelier [command] [flags]

commands:
  serve   run the API and the SPA (default)
  seed    load the demo catalog into the database (idempotent)
  token   manage staff tokens: token create --role designer|workshop --name NAME,
          token list, token revoke ID

Run "atelier serve -h" for the server flags and their environment variables.
`

func run(args []string, env config.Env, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, env, stderr)
	case "seed":
		err = seedCmd(args, env, stdout, stderr)
	case "token":
		err = tokenCmd(args, env, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "atelier: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "atelier %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

func serve(args []string, env config.Env, stderr io.Writer) error {
	cfg, err := config.Load(args, env, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	// The ready line is written at any LOG_LEVEL: it says where the server is, and a parent
	// that started it on port 0 reads the port from it.
	newLogger(stderr, slog.LevelInfo).Info(readyline.Message, "url", "http://"+displayAddr(l.Addr()),
		"staff_token_hint", "go run ./server token create --role designer --name YOU")
	return a.Serve(ctx, l)
}

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return net.JoinHostPort("localhost", strconv.Itoa(t.Port))
	}
	return a.String()
}

// openDB opens the configured database for the admin commands.
func openDB(fs *flag.FlagSet, args []string, env config.Env) (*db.DB, error) {
	def, _ := env("DATABASE_URL")
	if def == "" {
		def = config.DefaultDatabaseURL
	}
	url := fs.String("database-url", def, "postgres://… or file:PATH (env DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return app.OpenDB(context.Background(), *url, true)
}

func seedCmd(args []string, env config.Env, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("atelier seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	d, err := openDB(fs, args, env)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := seed.Run(context.Background(), d.Client, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created: %s\nalready present: %s\n", list(res.Created), list(res.Skipped))
	return nil
}

func list(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

func tokenCmd(args []string, env config.Env, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("token needs a subcommand: create, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("atelier token "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	ctx := context.Background()
	switch sub {
	case "create":
		role := fs.String("role", "", "designer or workshop")
		name := fs.String("name", "", "who holds the token")
		d, err := openDB(fs, args, env)
		if err != nil {
			return err
		}
		defer d.Close()
		r, err := auth.ParseRole(*role)
		if err != nil {
			return err
		}
		secret, row, err := auth.CreateStaffToken(ctx, d.Client, *name, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "created %s token %d for %s; it is shown once, store it now:\n",
			row.Role, row.ID, row.Name)
		fmt.Fprintln(stdout, secret)
		return nil
	case "list":
		d, err := openDB(fs, args, env)
		if err != nil {
			return err
		}
		defer d.Close()
		rows, err := auth.ListStaffTokens(ctx, d.Client)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tNAME\tCREATED\tREVOKED")
		for _, t := range rows {
			revoked := "-"
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name,
				t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		d, err := openDB(fs, args, env)
		if err != nil {
			return err
		}
		defer d.Close()
		if fs.NArg() != 1 {
			return errors.New("token revoke needs the token ID (see token list)")
		}
		id, err := strconv.Atoi(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("token ID %q is not a number", fs.Arg(0))
		}
		if err := auth.RevokeStaffToken(ctx, d.Client, id, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %d\n", id)
		return nil
	default:
		return fmt.Errorf("unknown token subcommand %q (create, list, revoke)", sub)
	}
}
