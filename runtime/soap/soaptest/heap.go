package soaptest

import (
	"runtime"
	"time"
)

// HeapGrowth runs f while sampling the heap every 5 ms and returns the
// largest growth of HeapInuse seen over its value before f (after a GC),
// in bytes: what a test of bounded memory asserts on.
func HeapGrowth(f func()) int64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	peak := base.HeapInuse
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}()
	f()
	close(stop)
	<-sampled
	return int64(peak) - int64(base.HeapInuse)
}
