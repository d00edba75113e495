package ai.payable.core.testing;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API on 127.0.0.1 for tests: s3proxy over an in-memory jclouds store, with AWS SigV4
 * authentication, and the Hadoop S3A settings that reach it.
 */
public final class LocalS3 implements AutoCloseable {

  private static final String ACCESS = "payable-test-access";
  private static final String SECRET = "payable-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext store;

  private LocalS3(S3Proxy proxy, BlobStoreContext store) {
    this.proxy = proxy;
    this.store = store;
  }

  /** Starts a server on a free port with {@code buckets} created. */
  public static LocalS3 start(String... buckets) throws Exception {
    BlobStoreContext store = ContextBuilder.newBuilder("transient").credentials(ACCESS, SECRET).build(BlobStoreContext.class);
    BlobStore blobs = store.getBlobStore();
    for (String bucket : buckets) {
      blobs.createContainerInLocation(null, bucket);
    }
    S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(10);
    }
    return new LocalS3(proxy, store);
  }

  /** The endpoint URL. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /**
   * Points S3A in {@code hadoop} at this server. File system instances are not cached, so tests
   * that each start a server on another port never reach a stopped one.
   */
  public void configure(Configuration hadoop) {
    hadoop.set("fs.s3a.endpoint", endpoint());
    hadoop.set("fs.s3a.endpoint.region", "us-east-1");
    hadoop.set("fs.s3a.path.style.access", "true");
    hadoop.set("fs.s3a.connection.ssl.enabled", "false");
    hadoop.set("fs.s3a.access.key", ACCESS);
    hadoop.set("fs.s3a.secret.key", SECRET);
    hadoop.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    hadoop.set("fs.s3a.impl.disable.cache", "true");
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the local S3 server", e);
    } finally {
      store.close();
    }
  }
}
