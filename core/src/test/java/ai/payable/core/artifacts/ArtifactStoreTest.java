package ai.payable.core.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.testing.LocalS3;
import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts published to and read from a local directory, a real S3 API, and HTTP. */
class ArtifactStoreTest {

  @TempDir Path dir;

  private static String read(InputStream in) throws Exception {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void publishesOpensAndMaterializesOnS3() throws Exception {
    Path staged = Files.createDirectories(dir.resolve("staged"));
    Files.writeString(staged.resolve("config.json"), "{\"a\":1}");
    Files.writeString(staged.resolve("weights.bin"), "0123456789");
    try (LocalS3 s3 = LocalS3.start("artifacts")) {
      Configuration hadoop = new Configuration();
      s3.configure(hadoop);
      ArtifactStore store = ArtifactStore.at("s3a://artifacts/models/", hadoop);
      assertFalse(store.isLocal());
      assertEquals("s3a://artifacts/models/m1", store.publishStaged("m1", staged).toString());
      assertFalse(Files.exists(staged), "the staging folder is removed once published");
      assertEquals("{\"a\":1}", read(ArtifactStore.open("s3a://artifacts/models/m1", "config.json", hadoop)));
      FileNotFoundException missing = assertThrows(FileNotFoundException.class, () -> ArtifactStore.open("s3a://artifacts/models/m1", "nope", hadoop));
      assertTrue(missing.getMessage().contains("s3a://artifacts/models/m1/nope does not exist"), missing.getMessage());

      Path local = ArtifactStore.materialize("s3a://artifacts/models/m1", dir.resolve("cache"), hadoop);
      assertEquals("0123456789", Files.readString(local.resolve("weights.bin")));
      assertEquals(local, ArtifactStore.materialize("s3a://artifacts/models/m1", dir.resolve("cache"), hadoop), "a complete copy is reused");
    }
  }

  @Test
  void localFoldersAreUsedInPlaceAndHttpIsReadable() throws Exception {
    ArtifactStore local = ArtifactStore.at(dir.resolve("models").toString(), new Configuration());
    assertTrue(local.isLocal());
    Path folder = Files.createDirectories(local.localFolder("m2"));
    Files.writeString(folder.resolve("x.txt"), "local");
    assertEquals(folder, ArtifactStore.materialize(local.folder("m2").toString(), dir.resolve("cache"), new Configuration()));
    assertEquals("local", read(ArtifactStore.open(folder.toString(), "x.txt", new Configuration())));

    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/d/x.txt", e -> {
      byte[] body = "over http".getBytes(StandardCharsets.UTF_8);
      e.sendResponseHeaders(200, body.length);
      e.getResponseBody().write(body);
      e.close();
    });
    http.start();
    try {
      String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/d";
      assertEquals("over http", read(ArtifactStore.open(base, "x.txt", new Configuration())));
      FileNotFoundException notFound = assertThrows(FileNotFoundException.class, () -> ArtifactStore.open(base, "y.txt", new Configuration()));
      assertTrue(notFound.getMessage().endsWith("/d/y.txt answered HTTP 404"), notFound.getMessage());
    } finally {
      http.stop(0);
    }
  }
}
