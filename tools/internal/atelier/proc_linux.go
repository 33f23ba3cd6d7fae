package atelier

import "syscall"

// childAttr makes the kernel stop the server if the tool dies without stopping it.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
