// Package buildinfo tells which dmpgen is running, from the build
// information the Go toolchain embeds (runtime/debug.ReadBuildInfo).
//
// BuildInfo.Main is the module of the main package: dmpgen itself under go
// run ./cmd/dmpgen in a checkout, go install …/cmd/dmpgen@vX.Y.Z, and also
// go tool dmpgen in a vendor's module (a tool directive builds dmpgen's main
// package: Main is then dmpgen at the version the vendor's go.mod selects,
// with its checksum, or with a Replace when the vendor replaces dmpgen; the
// vendor's module is not recorded). A binary whose main package is another
// module's has dmpgen in BuildInfo.Deps, which is read the same way.
package buildinfo

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
)

// Module is dmpgen's module path.
const Module = "github.com/dmpgen/dmpgen"

// Info describes the running dmpgen.
type Info struct {
	// Version is the module version: a release tag (v1.2.3), a
	// pseudo-version, "(devel)", or "" when unknown.
	Version string
	// Main is the path of the main package's module when that is not
	// dmpgen ("" when it is).
	Main string
	// Replace describes a replace directive applied to dmpgen: a path (a
	// local directory) or "path version".
	Replace string
	// Sum is the module's checksum when dmpgen is a downloaded dependency.
	Sum string
	// Revision, Time and Modified are the VCS stamp; the go command records
	// them for the main module only, when built inside a checkout with
	// -buildvcs (go build, go install; not go run).
	Revision, Time string
	Modified       string // "true", "false" or ""
	// GoVersion is the toolchain that built the binary.
	GoVersion string
	// local is set when the code comes from a directory (a replace by a
	// path): no version describes it.
	local bool
}

// Read returns the information of the running binary.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{}
	}
	return From(bi)
}

// From extracts dmpgen's information from a binary's build information.
func From(bi *debug.BuildInfo) Info {
	info := Info{GoVersion: bi.GoVersion}
	var mod *debug.Module
	if bi.Main.Path == Module {
		mod = &bi.Main
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value
			}
		}
	} else {
		info.Main = bi.Main.Path
		for _, d := range bi.Deps {
			if d.Path == Module {
				mod = d
				break
			}
		}
	}
	if mod == nil {
		return info
	}
	info.Version, info.Sum = mod.Version, mod.Sum
	if r := mod.Replace; r != nil {
		info.Replace = r.Path
		switch {
		case r.Version == "" || r.Version == "(devel)":
			info.local = true // a directory: its content is not that of any version
		case r.Path == Module:
			info.Replace += " " + r.Version
			info.Version, info.Sum = r.Version, r.Sum
		default:
			info.Replace += " " + r.Version
			info.local = true // a fork: its versions are not dmpgen's
		}
	}
	return info
}

// pseudoRE matches pseudo-versions (golang.org/x/mod/module.IsPseudoVersion).
var pseudoRE = regexp.MustCompile(`^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// semverRE matches a semantic version tag with an optional pre-release and
// the +incompatible build suffix that the go command uses.
var semverRE = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+incompatible)?$`)

// Released returns the version when it names a release that anyone can
// fetch and rebuild: a semantic version tag, not "(devel)", not a
// pseudo-version (an untagged commit, as go build stamps a checkout), not
// +dirty (uncommitted changes), not code replaced by a directory or a fork;
// "" otherwise. Generated headers carry only released versions, so that
// output committed from a checkout does not change at every commit.
func (i Info) Released() string {
	if i.local || !IsRelease(i.Version) {
		return ""
	}
	return i.Version
}

// IsRelease reports whether v is a release tag: a semantic version,
// pre-releases included, not a pseudo-version, no build suffix but the go
// command's +incompatible.
func IsRelease(v string) bool {
	return semverRE.MatchString(v) && !pseudoRE.MatchString(v)
}

// String formats the information for dmpgen version, one fact per line.
func (i Info) String() string {
	var b strings.Builder
	v := i.Version
	if v == "" {
		v = "(unknown)"
	}
	fmt.Fprintf(&b, "dmpgen %s\n", v)
	fmt.Fprintf(&b, "module: %s", Module)
	if i.Main != "" {
		fmt.Fprintf(&b, " (a dependency of %s)", i.Main)
	}
	b.WriteString("\n")
	if i.Replace != "" {
		fmt.Fprintf(&b, "replaced by: %s\n", i.Replace)
	}
	if i.Sum != "" {
		fmt.Fprintf(&b, "sum: %s\n", i.Sum)
	}
	if i.Revision != "" {
		fmt.Fprintf(&b, "revision: %s\n", i.Revision)
	}
	if i.Time != "" {
		fmt.Fprintf(&b, "time: %s\n", i.Time)
	}
	if i.Modified != "" {
		fmt.Fprintf(&b, "modified: %s\n", i.Modified)
	}
	if r := i.Released(); r != "" {
		fmt.Fprintf(&b, "generated headers: // dmpgen %s\n", r)
	} else {
		b.WriteString("generated headers: no version line (not a released version)\n")
	}
	if i.GoVersion != "" {
		fmt.Fprintf(&b, "go: %s\n", i.GoVersion)
	}
	return b.String()
}
