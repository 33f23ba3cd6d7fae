package gqlws

import (
	"io"

	"github.com/gobwas/ws"
)

// Opcodes as the hand-written test clients use them.
const (
	opContinuation = byte(ws.OpContinuation)
	opText         = byte(ws.OpText)
	opClose        = byte(ws.OpClose)
	opPing         = byte(ws.OpPing)
	opPong         = byte(ws.OpPong)
)

// frameHeader is a frame header as the test clients read it.
type frameHeader struct {
	fin    bool
	op     byte
	masked bool
	length int64
}

// readHeader reads one frame header with gobwas/ws.
func readHeader(r io.Reader) (frameHeader, error) {
	h, err := ws.ReadHeader(r)
	return frameHeader{fin: h.Fin, op: byte(h.OpCode), masked: h.Masked, length: h.Length}, err
}

// unmask applies a masking key to p, the part of a payload at offset pos (it is its own inverse).
func unmask(p []byte, key [4]byte, pos int64) { ws.Cipher(p, key, int(pos)) }
