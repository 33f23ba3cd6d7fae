package httpapi

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// placeholderPage is served at / until the SPA has been built into the web directory.
const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Atelier</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:Georgia,serif;background:#f6f1ea;color:#2b211b;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#ece3d6;padding:.1rem .3rem}</style></head>
<body><h1>Atelier</h1>
<p>The made-to-order strap configurator API is running. The GraphQL endpoint is <code>/query</code>.</p>
<p>The web client has not been built yet: run <code>make run</code> from the repository root.</p>
</body></html>`

// spaCSP allows the SPA's own scripts, styles, inline SVG previews and API calls only.
const spaCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
	"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// spaHandler serves the built SPA from dir, falling back to index.html for client-side routes,
// or the placeholder page when the SPA has not been built.
func spaHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Security-Policy", spaCSP)
		index := filepath.Join(dir, "index.html")
		if dir == "" || !exists(index) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(placeholderPage))
			return
		}
		clean := path.Clean("/" + r.URL.Path)
		if clean != "/" && exists(filepath.Join(dir, filepath.FromSlash(clean))) {
			if strings.HasPrefix(clean, "/assets/") {
				// Vite fingerprints asset names, so they never change.
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFile(w, r, index)
	})
}

func exists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
