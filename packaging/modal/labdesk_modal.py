"""Labdesk on Modal: the worker jar behind one public URL, agents in Sandboxes.

    modal deploy packaging/modal/labdesk_modal.py

Build the jar first (./mvnw -B -DskipTests package): the image copies worker/target/labdesk-worker.jar.
Secrets (create them once with `modal secret create`): labdesk-keys (LABDESK_API_KEYS, the
user_id:key entries every request must present, and LABDESK_SESSION_SECRET, which signs the browser
page's cookie the same way on every container), labdesk-openai (OPENAI_API_KEY), labdesk-logfire
(LOGFIRE_TOKEN), labdesk-redis (REDIS_URL). Several containers serve one URL, so REDIS_URL is what
lets any of them answer for a session another one accepted. The worker refuses to start on Modal
without LABDESK_API_KEYS: the deployment is private by default.
"""
import os
import pathlib
import subprocess

import modal

HERE = pathlib.Path(__file__).resolve().parent
JAR = HERE.parent.parent / "worker" / "target" / "labdesk-worker.jar"
PORT = 8000
# the worker binds its port ~0.15 s after launch and holds requests until Jetty serves (~0.6 s with the
# AOT cache, docs/BENCHMARKS.md, Cold start); /health also waits for the Modal bridge's first check
# (a Python process); leave room for a slow host
STARTUP_TIMEOUT = 90
# Modal's per-request limit is 150 s; SSE reconnects with Last-Event-ID, uploads go in tus chunks
FUNCTION_TIMEOUT = 60 * 60
REQUIRES_PROXY_AUTH = os.environ.get("LABDESK_PROXY_AUTH", "0") == "1"
# the SDK version bridge.py and docs/DEPLOY-MODAL.md were checked against (its source, 1.5.4)
MODAL_SDK = "modal==1.5.4"
# the JDK's AOT cache is rejected when the launch's heap and GC differ from the training run's, so
# both use these; 1 GiB of the function's 2 GiB leaves room for the bridge's Python processes
JAVA_OPTIONS = "-Xmx1g -XX:+UseG1GC"

image = (
    modal.Image.from_registry("eclipse-temurin:25-jre", add_python="3.12")
    .apt_install("fontconfig", "fonts-dejavu-core")  # the agent draws the report's charts with headless AWT
    .pip_install(MODAL_SDK)  # the bridge runs the official SDK inside the container
    .add_local_file(str(JAR), "/opt/labdesk/labdesk-worker.jar", copy=True)
    # the JDK's AOT cache is only valid for this JVM and this jar path, so it is trained here
    .run_commands(
        f"java {JAVA_OPTIONS} -XX:AOTCacheOutput=/opt/labdesk/labdesk-worker.aot -cp /opt/labdesk/labdesk-worker.jar"
        " dev.labdesk.worker.AotTraining"
    )
    .add_local_file(str(HERE / "bridge.py"), "/opt/labdesk/modal/bridge.py")
)

app = modal.App("labdesk", image=image)


@app.function(
    secrets=[
        modal.Secret.from_name("labdesk-keys"),
        modal.Secret.from_name("labdesk-openai"),
        modal.Secret.from_name("labdesk-logfire"),
        modal.Secret.from_name("labdesk-redis"),
    ],
    scaledown_window=300,
    timeout=FUNCTION_TIMEOUT,
    memory=2048,
)
@modal.concurrent(max_inputs=200)
@modal.web_server(port=PORT, startup_timeout=STARTUP_TIMEOUT, requires_proxy_auth=REQUIRES_PROXY_AUTH)
def worker():
    env = dict(os.environ)
    env.setdefault("LABDESK_HOST", "0.0.0.0")
    env.setdefault("LABDESK_PORT", str(PORT))
    env.setdefault("LABDESK_DATA_DIR", "/tmp/labdesk")
    env.setdefault("LABDESK_VOLUMES", "modal")
    env.setdefault("LABDESK_AGENT", "modal")
    env.setdefault("LABDESK_MODAL_BRIDGE", "python3 /opt/labdesk/modal/bridge.py")
    # Sandboxes run this very image (java, the jar, the agent) instead of building one per run;
    # Modal sets MODAL_IMAGE_ID in every container it starts
    if "MODAL_IMAGE_ID" in env:
        env.setdefault("LABDESK_MODAL_IMAGE_ID", env["MODAL_IMAGE_ID"])
    if "LABDESK_PUBLIC_URL" not in env:
        # agents in Sandboxes post their log to the public URL of this very function
        env["LABDESK_PUBLIC_URL"] = worker.get_web_url()
    # the launch line bench/coldstart-compare.sh measures as java-aot
    java = ["java", *JAVA_OPTIONS.split(), "-Xshare:auto"]
    aot = pathlib.Path("/opt/labdesk/labdesk-worker.aot")
    if aot.exists():
        java.append(f"-XX:AOTCache={aot}")
    subprocess.Popen(java + ["-jar", "/opt/labdesk/labdesk-worker.jar"], env=env)
