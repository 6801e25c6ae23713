# Sourced by the benchmark scripts: sets java_bin to the java of the first JDK 21 or newer in
# $JAVA_HOME or /usr/lib/jvm, or stops the script with the reason.
java_bin=""
for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$jdk" ] && [ -x "$jdk/bin/java" ] || continue
  major=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${major:-0}" -ge 21 ] 2>/dev/null; then java_bin="$jdk/bin/java"; break; fi
done
if [ -z "$java_bin" ]; then
  echo "No JDK 21 or newer found in JAVA_HOME or /usr/lib/jvm; install one." >&2
  exit 1
fi
