# syntax=docker/dockerfile:1
# reelsense: Maven build stage, then slim JRE runtimes.
#   target "cpu": PyTorch's CPU build, the pytorch-native-cpu jar from Maven Central on the class path.
#   target "gpu": the same app without that jar; DJL loads CUDA libtorch (flavour cu128) instead, from
#                 PYTORCH_LIBRARY_PATH when set, else downloaded once into DJL_CACHE_DIR (a volume).
# DockerComposeTest checks the stages, the pinned images and the entrypoint; ContainerHardeningTest
# checks that the app user owns every folder a volume is mounted on.

FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY schemas schemas
COPY src src
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q package -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true

FROM eclipse-temurin:17.0.13_11-jre-jammy AS cpu
RUN groupadd --system --gid 10001 reelsense \
 && useradd --system --uid 10001 --gid reelsense --home-dir /var/lib/reelsense reelsense \
 && mkdir -p /app /models /var/lib/reelsense/state /var/cache/djl/reelsense \
 && chown -R reelsense:reelsense /models /var/lib/reelsense /var/cache/djl
COPY --from=build /src/target/lib /app/lib
COPY --from=build /src/target/reelsense.jar /app/reelsense.jar
# Every place the app writes is a volume or tmpfs in docker-compose.yml (the root file system is
# read-only there): the state, the DJL cache (PyTorch's native libraries, unpacked models) and /tmp.
# A fresh named volume takes the owner of the folder it is mounted on, hence the chown above: the
# "models" seeding service can then copy bundles onto /models as the app user.
ENV DJL_CACHE_DIR=/var/cache/djl \
    REELSENSE_CACHE=/var/cache/djl/reelsense \
    REELSENSE_STATE_DIR=/var/lib/reelsense/state
USER reelsense
WORKDIR /var/lib/reelsense
EXPOSE 7070
# exec form: java is PID 1 and gets SIGTERM itself, so the shutdown hook drains the open batch
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/reelsense.jar"]
CMD ["run"]

FROM cpu AS gpu
USER root
RUN rm -f /app/lib/pytorch-native-cpu-*.jar
ENV PYTORCH_FLAVOR=cu128 \
    PYTORCH_VERSION=2.7.1 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER reelsense
