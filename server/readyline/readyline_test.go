package readyline

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestURLIsReadFromTheReadyLineOnly(t *testing.T) {
	var log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, nil))
	logger.Info("migrating", "url", "http://wrong")
	assert.Equal(t, "", URL(log.Bytes()), "no ready line yet")
	log.WriteString(`{"msg":"atelier ready"` + "\n") // a line cut short while it is written
	assert.Equal(t, "", URL(log.Bytes()))
	logger.Info(Message, "url", "http://127.0.0.1:40123")
	logger.Info(Message, "url", "http://127.0.0.1:1")
	assert.Equal(t, "http://127.0.0.1:40123", URL(log.Bytes()))
}
