package azuretest

import "syscall"

// sysProcAttr makes the kernel end Azurite should the test process die
// without stopping it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
