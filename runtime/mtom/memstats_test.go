package mtom

import "runtime"

// runtimeMemStats reads the allocation counters of the process.
type runtimeMemStats struct{ runtime.MemStats }

func (m *runtimeMemStats) read() {
	runtime.GC()
	runtime.ReadMemStats(&m.MemStats)
}
