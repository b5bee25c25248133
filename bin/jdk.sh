# Sourced by bin/switchboard and bin/test: finds a JDK 25+ and exports JAVA_HOME, or explains what to install.
# java_major JAVA: the feature release of a JDK's java binary, from the JDK's release file when it has one
# (starting a JVM to ask costs a tenth of a second, a tenth of the gateway's start-up), else from the JVM.
java_major() {
  local release; release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION="[0-9]' "$release"; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}
find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    local major; major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
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
