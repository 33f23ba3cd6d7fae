//go:build !linux

package atelier

import "syscall"

// childAttr has no portable way to tie the server's life to the tool's.
func childAttr() *syscall.SysProcAttr { return nil }
