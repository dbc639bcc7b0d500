package dev.labdesk.worker.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labdesk.model.Json;
import dev.labdesk.model.SessionIds;
import dev.labdesk.model.SessionStatus;
import dev.labdesk.worker.Worker;
import dev.labdesk.worker.WorkerConfig;
import dev.labdesk.worker.agent.analysis.figures.FigureFixture;
import dev.labdesk.worker.testing.Caller;
import dev.labdesk.worker.testing.RawMultipart;
import dev.labdesk.worker.testing.TestPrincipals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real agent on a real upload draws the profile's figures: each is linked from report.md, served
 * by {@code GET /sessions/{id}/report/figures/{name}} as a PNG and an SVG that parse, with its numbers
 * in report.json; someone else, and any name that is not a figure's, gets a 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportFiguresTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]+)]\\((figures/([a-z0-9-]+)\\.png)\\)");

    @TempDir static Path dataDir;
    private Worker worker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Caller ada;
    private Caller bob;
    private String id;

    @BeforeAll
    void analyse() throws Exception {
        worker = new Worker(WorkerConfig.local(dataDir).withAuth(TestPrincipals.auth())).start();
        ada = new Caller(http, worker.baseUrl(), TestPrincipals.ADA);
        bob = new Caller(http, worker.baseUrl(), TestPrincipals.BOB);
        var r = ada.upload(new RawMultipart().field("name", "Growth").field("description", "growth curves of twelve strains").file("data/" + FigureFixture.NAME, FigureFixture.csv()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        id = JSON.readTree(r.body()).get("session_id").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> SessionStatus.fromWire(JSON.readTree(ada.get("/sessions/" + id).body()).get("status").asText()).terminal());
        assertThat(JSON.readTree(ada.get("/sessions/" + id).body()).get("status").asText()).isEqualTo("succeeded");
    }

    @AfterAll
    void stop() {
        worker.close();
        http.close();
    }

    @Test
    void everyFigureIsLinkedFromTheReportServedAsPngAndSvgAndItsNumbersAreInTheJson() throws Exception {
        var md = ada.get("/sessions/" + id + "/report").body();
        var linked = new ArrayList<String>();
        var m = IMAGE.matcher(md);
        while (m.find()) linked.add(m.group(3));
        var report = reportJson();
        var figures = report.get("figures");
        var named = new ArrayList<String>();
        figures.forEach(f -> named.add(f.get("name").asText()));
        assertThat(linked).as("every figure linked once, in report.md").containsExactlyInAnyOrderElementsOf(named).doesNotHaveDuplicates();
        assertThat(figures).extracting(f -> f.get("kind").asText() + ":" + f.path("column").asText(""))
                .contains("missing:", "pearson:", "spearman:", "histogram:time_h", "histogram:od600", "histogram:temperature",
                        "histogram:date", "top_values:strain");

        for (var f : figures) {
            var name = f.get("name").asText();
            var png = bytes("/sessions/" + id + "/report/figures/" + name + ".png", "image/png");
            var image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).isEqualTo(2 * f.get("width").asInt()).isBetween(400, 2000);
            assertThat(image.getHeight()).isEqualTo(2 * f.get("height").asInt()).isBetween(200, 2000);
            var svg = bytes("/sessions/" + id + "/report/figures/" + name + ".svg", "image/svg+xml");
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(f.get("alt").asText()).isNotBlank();
            assertThat(f.get("data")).as(name + " carries its numbers").isNotEmpty();
        }

        var growth = report.get("tables").get(0);
        var od = column(growth, "od600");
        var odFigure = figure(figures, "histogram", "od600");
        assertThat(odFigure.get("data").get("counts")).isEqualTo(od.get("histogram").get("counts"));
        assertThat(odFigure.get("data").get("edges")).isEqualTo(od.get("histogram").get("edges"));
        assertThat(figure(figures, "histogram", "date").get("data").get("labels").get(0).asText()).isEqualTo("2000-04-01");

        var strain = figure(figures, "top_values", "strain").get("data");
        assertThat(strain.get("labels").get(0).asText()).isEqualTo("wt");
        assertThat(strain.get("labels").get(strain.get("labels").size() - 1).asText()).isEqualTo("(other values)");
        long sum = 0;
        for (var v : strain.get("values")) sum += v.asLong();
        assertThat(sum).as("top values plus the others are every value").isEqualTo(48);

        var missing = figure(figures, "missing", null).get("data");
        assertThat(missing.get("labels")).extracting(JsonNode::asText).containsExactly("od600", "temperature");
        assertThat(missing.get("values")).extracting(JsonNode::asLong)
                .containsExactly(od.get("nulls").asLong(), column(growth, "temperature").get("nulls").asLong());

        var pearson = figure(figures, "pearson", null).get("data");
        var labels = new ArrayList<String>();
        pearson.get("labels").forEach(l -> labels.add(l.asText()));
        for (var k : growth.get("correlations")) {
            int i = labels.indexOf(k.get("a").asText()), j = labels.indexOf(k.get("b").asText());
            assertThat(pearson.get("values").get(i).get(j).asDouble()).isEqualTo(k.get("pearson").asDouble());
            assertThat(figure(figures, "spearman", null).get("data").get("values").get(j).get(i).asDouble()).isEqualTo(k.get("spearman").asDouble());
        }
        assertThat(pearson.get("values").get(0).get(0).asDouble()).isEqualTo(1.0);
    }

    @Test
    void anotherPrincipalAndNamesThatAreNotFiguresGet404() throws Exception {
        var report = reportJson();
        var name = report.get("figures").get(0).get("name").asText();
        assertThat(ada.get("/sessions/" + id + "/report/figures/" + name + ".png").statusCode()).isEqualTo(200);

        var theirs = bob.get("/sessions/" + id + "/report/figures/" + name + ".png");
        var unknownId = SessionIds.newId();
        var unknown = bob.get("/sessions/" + unknownId + "/report/figures/" + name + ".png");
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(theirs.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(theirs.body()).isEqualTo(unknown.body().replace(unknownId, id));

        for (var bad : List.of("..%2Freport.json", "..%2F..%2Fdata%2Fgrowth.csv", "%2E%2E%2Freport.md", "report.json", name + ".PNG", name.toUpperCase() + ".png",
                name + ".png.tmp", "." + name + ".png.tmp", name + ".svg%00.png", "no-such-figure.png", name, name + ".")) {
            var r = ada.get("/sessions/" + id + "/report/figures/" + bad);
            assertThat(r.statusCode()).as(bad).isIn(400, 404);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(bad).doesNotStartWith("image/");
        }
        var traversal = ada.get("/sessions/" + id + "/report/figures/../report");
        assertThat(traversal.headers().firstValue("Content-Type").orElse("")).doesNotStartWith("image/");
    }

    private JsonNode reportJson() throws Exception {
        var r = http.send(ada.request("/sessions/" + id + "/report").header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private byte[] bytes(String path, String type) throws Exception {
        var r = http.send(ada.request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(type);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c -> assertThat(c).startsWith("default-src 'none'"));
        return r.body();
    }

    private static JsonNode figure(JsonNode figures, String kind, String column) {
        for (var f : figures)
            if (f.get("kind").asText().equals(kind) && (column == null || column.equals(f.path("column").asText(null)))) return f;
        throw new AssertionError("no " + kind + " figure for " + column);
    }

    private static JsonNode column(JsonNode table, String name) {
        for (var c : table.get("columns")) if (c.get("name").asText().equals(name)) return c;
        throw new AssertionError("no column " + name);
    }
}
