package bench

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, 100 on every Linux the portal runs on.
const clockTicks = 100

// procStat returns a process's parent and its user+system CPU ticks.
func procStat(pid int) (ppid int, ticks int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	s := string(b)
	// The command name is in parentheses and may hold spaces.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
	if len(f) < 13 {
		return 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return ppid, ut + st, true
}

// cpuOf returns the CPU ticks of pid and, with children, of every process
// whose parent it is (PostgreSQL: the postmaster and its backends).
func cpuOf(pid int, children bool) map[int]int64 {
	out := map[int]int64{}
	if _, t, ok := procStat(pid); ok {
		out[pid] = t
	}
	if !children {
		return out
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		p, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		if pp, t, ok := procStat(p); ok && pp == pid {
			out[p] = t
		}
	}
	return out
}

// cpuDelta is the CPU time in microseconds spent between two snapshots by
// the processes of the second (a process born in between counts whole).
func cpuDelta(before, after map[int]int64) int64 {
	var ticks int64
	for pid, t := range after {
		ticks += t - before[pid]
	}
	return ticks * 1_000_000 / clockTicks
}

// postmasterPID reads the first line of postmaster.pid.
func postmasterPID(dataDir string) int {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	return pid
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
