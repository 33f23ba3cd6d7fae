// Package readyline is the log line a server writes once it listens, and how a parent process
// reads its URL from it. A parent that starts the server with -addr 127.0.0.1:0 learns the port
// the kernel gave it, so no other process can take the port between choosing and binding it.
package readyline

import (
	"bufio"
	"bytes"
	"encoding/json"
)

// Message is the msg of the JSON log line written once the server listens; the line's url
// attribute is where it serves.
const Message = "atelier ready"

// URL returns the url of the first ready line in log (JSON log lines), or "" when there is
// none yet.
func URL(log []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.Contains(line, []byte(Message)) {
			continue
		}
		var l struct{ Msg, URL string }
		if json.Unmarshal(line, &l) == nil && l.Msg == Message && l.URL != "" {
			return l.URL
		}
	}
	return ""
}
