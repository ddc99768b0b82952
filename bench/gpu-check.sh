#!/usr/bin/env bash
# The one check to run on a GPU host: builds the GPU jar set when target/ does not hold it, pulls
# the models the check measures, and runs `reelsense bench gpu`, which writes one JSON file.
#
#   bench/gpu-check.sh [OUT.json] [extra `bench gpu` options, e.g. --quick or --device cpu]
#
# Needs Java 17, Maven, and either the internet (DJL downloads the CUDA libtorch once) or
# PYTORCH_LIBRARY_PATH pointing at an unpacked libtorch 2.7.1 (see docs/gpu.md).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-results/raw/gpu-check-$(date -u +%Y-%m-%d).json}"
shift || true

# the GPU jar set is the one without the bundled CPU libtorch
if [[ ! -f target/reelsense.jar ]] || compgen -G 'target/lib/pytorch-native-cpu-*.jar' >/dev/null; then
  mvn -B -q clean package -Pgpu -DskipTests
fi

jar=target/reelsense.jar
java -jar "$jar" doctor
for model in bge-small bert-base-uncased; do
  java -jar "$jar" models pull "$model"
done
java -jar "$jar" bench gpu --out "$out" "$@"
echo "written: $out"
