package catalog

// Publishers, as Artifact.Origin names them; floor rows match on them.
const (
	originPythonOrg   = "python.org"
	originPBS         = "python-build-standalone"
	originNode        = "nodejs.org"
	originRedis       = "redis.io"
	originValkey      = "valkey-io/valkey"
	originTporadowski = "tporadowski/redis"
	originMSOpenTech  = "microsoftarchive/redis"
)

// floorRow says: releases of tool whose version satisfies versions, in
// the artifacts of origin ("" for the release itself, and so for every
// artifact of it), need at least floor on os: the NT version on windows,
// the product version on macos, the glibc version on linux (glibc builds
// only). When several rows match, the strictest wins.
type floorRow struct {
	tool     string
	versions string // a Constraint; "" for every version
	origin   string
	os       string
	floor    string
	// source says where the fact comes from and how sure it is: [V] read
	// in the source, [I] inferred from sources, [U] unverified.
	// PLATFORMS.md is ../shared/PLATFORMS.md of the project's research.
	source string
}

// floorTable is every OS floor the catalog knows. Fix a floor here and
// nowhere else.
var floorTable = []floorRow{
	// CPython itself on Windows (PLATFORMS.md §5.1; PEP 11 keeps a
	// Windows release while it is in extended support).
	{
		tool: "python", versions: "< 3.5", os: "windows", floor: "5.1",
		source: "[V] XP: 2.7 and 3.4 are the last for XP (whatsnew 3.5; pythondotorg #848; panda3d PR #841)",
	},
	{
		tool: "python", versions: ">= 3.5, < 3.9", os: "windows", floor: "6.0",
		source: "[V, sources conflict] Vista: 3.7 was to drop Vista (bpo-32592) but 3.8 still runs on Vista and 7 in practice (panda3d PR #841)",
	},
	{
		tool: "python", versions: ">= 3.9, < 3.13", os: "windows", floor: "6.3",
		// Windows 8 (6.2) is treated as unsupported for 3.9+ [U]: gekap/
		// fast-copy v2.4.5 says 3.9+ needs api-ms-win-core-path-l1-1-0.dll,
		// which 7 and 8 lack; vcpkg PR #16420 says 3.9 needs Windows 8;
		// PEP 11 alone would keep Server 2012 (6.2) through 3.12.
		source: "[V] 8.1: the 3.9 installer refuses 7 (python.org 3.9.0 installer news); 3.12 is the last for 8.1 (CPython PR #124822); 8 (6.2) [U]",
	},
	{
		tool: "python", versions: ">= 3.13", os: "windows", floor: "10.0",
		source: "[V] 3.13 supports Windows 10 and newer (CPython PR #124822, Doc/using/windows.rst)",
	},

	// python-build-standalone archives (PLATFORMS.md §5.3).
	{
		tool: "python", versions: "< 3.14", origin: originPBS, os: "windows", floor: "6.3",
		source: "[V] PBS docs/running.md: CPython <= 3.13 builds need Windows 8.1",
	},
	{
		tool: "python", versions: ">= 3.14", origin: originPBS, os: "windows", floor: "10.0",
		source: "[V] PBS docs/running.md: CPython 3.14+ builds need Windows 10",
	},
	{
		tool: "python", origin: originPBS, os: "linux", floor: "2.17",
		source: "[V] PBS docs/running.md: gnu builds need glibc 2.17 (CentOS 7, Debian 8, Ubuntu 14.04)",
	},
	{
		tool: "python", origin: originPBS, os: "macos", floor: "10.15",
		// PBS documents no macOS floor; the archive's PYTHON.json
		// (apple_sdk_deployment_target) has the real one. 10.15 is the
		// issue's figure; 11 on arm64 follows from the hardware.
		source: "[U] not stated by PBS (PLATFORMS.md §5.3 marks it unverified)",
	},

	// Node.js official binaries.
	{
		tool: "node", versions: ">= 18", os: "linux", floor: "2.28",
		// Not 2.17 for x64 as sometimes said: 18 moved its Linux builds to
		// RHEL 8 on x64 and arm64 alike.
		source: "[V] nodejs/node commit 3671cc0 (PR #42659): from 18 on, built on RHEL 8 and needs glibc 2.28; Mozilla's taskcluster node.yml says the same of 18",
	},
	{
		tool: "node", versions: "< 22", os: "macos", floor: "10.15",
		source: "[V] 18: nodejs/node PR #42292 (deployment target 10.15 from 18 on); 20: x64 10.15, arm64 11 per cypress-documentation PR #6313 citing v20.x BUILDING.md [V-weak]",
	},
	{
		tool: "node", versions: ">= 22, < 24", os: "macos", floor: "11",
		source: "[V] nodejs/node PR #49164 (deployment target 11.0, landed 2023-09, so 21+); cypress-documentation PR #6313 (22: 11)",
	},
	{
		tool: "node", versions: ">= 24", os: "macos", floor: "13.5",
		source: "[V] nodejs/node PR #57115 (bump supported macOS to 13.5, for 24)",
	},
	{
		tool: "node", versions: "< 22", os: "windows", floor: "6.3",
		source: "[I] 18: 8.1/2012 R2 kept (PR #42105, which would have made them experimental, was closed); 20: [U] its BUILDING.md not read",
	},
	{
		tool: "node", versions: ">= 22", os: "windows", floor: "10.0",
		source: "[I] 22: Windows < 10 was only experimental (PR #54079 dropped that for 23); 24: [V] BUILDING.md 'Windows x64 >= Windows 10/Server 2016' (commit 8b40221)",
	},

	// Windows ports of Redis; both x64 only.
	{
		tool: "redis", origin: originTporadowski, os: "windows", floor: "6.1",
		source: "[U] no floor documented; built with a modern MSVC, so Windows 7 at best",
	},
	{
		tool: "redis", origin: originMSOpenTech, os: "windows", floor: "6.1",
		source: "[U] no floor found; MSOpenTech targeted Windows 7 / Server 2008 R2 and later",
	},
}
