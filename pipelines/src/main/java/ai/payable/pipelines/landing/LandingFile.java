package ai.payable.pipelines.landing;

import java.io.Serializable;

/** A file in a landing zone, as listed before it is read. */
public record LandingFile(String path, long size, long modifiedMillis) implements Serializable {}
