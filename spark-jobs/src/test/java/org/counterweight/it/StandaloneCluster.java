package org.counterweight.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 — one master and two one-core workers started
 * from the Spark jars Maven resolved, with {@code spark.authenticate} on and a generated secret —
 * plus a Spark home whose {@code bin/spark-submit} runs {@code org.apache.spark.deploy.SparkSubmit}
 * from the same jars. {@link #close()} stops every process it started, children included.
 */
final class StandaloneCluster implements AutoCloseable {
    static final String OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED";

    final Path sparkHome;
    final Path logs;
    final String secret = UUID.randomUUID().toString();
    final int masterPort = freePort();
    final int masterUiPort = freePort();
    private final List<Process> processes = new ArrayList<>();

    StandaloneCluster(Path workDir, Path providedClasspathFile, int workers) throws IOException, InterruptedException {
        sparkHome = workDir.resolve("spark-home");
        logs = workDir.resolve("logs");
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.createDirectories(sparkHome.resolve("bin"));
        Files.createDirectories(logs);
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark from Maven jars (Counterweight integration test)\n");
        for (String jar : Files.readString(providedClasspathFile).strip().split(java.io.File.pathSeparator)) {
            Path src = Path.of(jar);
            Path link = sparkHome.resolve("jars").resolve(src.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, src);
            }
        }
        Path submit = sparkHome.resolve("bin").resolve("spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\nexec java " + OPENS
                + " -cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        submit.toFile().setExecutable(true);

        start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort)));
        for (int i = 1; i <= workers; i++) {
            Path dir = workDir.resolve("worker-" + i);
            Files.createDirectories(dir);
            start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "2g", "--webui-port", "0", "--work-dir", dir.toString(), masterUrl()));
        }
        awaitWorkers(workers, Duration.ofSeconds(90));
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** spark-submit options every application on this cluster needs. */
    String submitArgs() {
        return "--deploy-mode client --conf spark.authenticate=true --conf spark.authenticate.secret=" + secret
                + " --conf spark.executor.memory=1g --conf spark.cores.max=2";
    }

    private void start(String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m"));
        cmd.addAll(List.of(OPENS.split(" ")));
        cmd.addAll(List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + secret,
                "-cp", sparkHome.resolve("jars") + "/*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("OMP_NUM_THREADS", "1");
        processes.add(pb.start());
    }

    /** The master's JSON status page. */
    String masterState() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    static int count(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private void awaitWorkers(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited early:\n" + logTails());
                }
            }
            try {
                last = masterState();
                if (count(last, "aliveworkers") == n) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("workers did not register within " + timeout + " (last: " + last + ")\n" + logTails());
    }

    /** The last lines of every log, for failure messages. */
    String logTails() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(logs)) {
            for (Path p : s.sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                sb.append("--- ").append(p.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
