# Sourced by bin/switchboard and bin/test: finds a JDK 25+ and exports JAVA_HOME, or explains what to install.
# Written without subshells or external commands where bash can do the work itself: each fork and exec
# costs several milliseconds on a small VM, and this runs before every start of the gateway (the
# launcher's dozen of them were ~70 ms of a ~1.1 s start-up; docs/performance.md, round 13).

# java_major JAVA: sets JAVA_MAJOR to the feature release of a JDK's java binary, from the JDK's release
# file when it has one (starting a JVM to ask costs a tenth of a second), else from the JVM itself.
java_major() {
  JAVA_MAJOR=""
  local release="${1%/bin/java}/release" line
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=\"[0-9]*)
          line=${line#JAVA_VERSION=\"}
          JAVA_MAJOR=${line%%[!0-9]*}
          return 0 ;;
      esac
    done <"$release"
  fi
  JAVA_MAJOR=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
}
# jdk_ok HOME: exports JAVA_HOME=HOME when HOME holds a JDK 25 or newer.
jdk_ok() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] || return 1
  java_major "$1/bin/java"
  [ -n "$JAVA_MAJOR" ] && [ "$JAVA_MAJOR" -ge 25 ] || return 1
  export JAVA_HOME="$1"
}
find_jdk() {
  local candidate on_path
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25*; do
    jdk_ok "$candidate" && return 0
  done
  # The java on PATH last, and only now: resolving its home takes three external commands.
  on_path=$(command -v java 2>/dev/null) && on_path=$(readlink -f "$on_path") && jdk_ok "${on_path%/bin/java}" && return 0
  cat >&2 <<'MSG'
switchboard: needs a Java 25 (or newer) JDK and found none.
  Install one, for example Eclipse Temurin 25 (https://adoptium.net) or `sdk install java 25-tem`,
  then set JAVA_HOME to it (or put its bin/ first on PATH) and run this again.
MSG
  return 1
}
require_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "switchboard: needs Apache Maven 3.8+ to build (Debian/Ubuntu: apt-get install maven; macOS: brew install maven)." >&2
  return 1
}
