package ai.payable.core.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** A row of {@link Tables#GATEWAYS}: a serving gateway and the address its log signatures recover to. */
public record GatewayRow(String gatewayId, String address, String description, Instant registeredAt) {

  /** The key column: registering a gateway id again updates its row. */
  public static final String KEY = "gateway_id";

  /** Kept from the first registration when a gateway is registered again. */
  public static final String REGISTERED_AT = "registered_at";

  /** The row as read from the table. */
  public static GatewayRow fromRow(Row r) {
    return new GatewayRow(r.getAs("gateway_id"), r.getAs("address"), r.getAs("description"), r.<Timestamp>getAs("registered_at").toInstant());
  }

  /** The row in the table's schema, columns in its order. */
  public Row toRow() {
    return RowFactory.create(gatewayId, address, description, Timestamp.from(registeredAt));
  }
}
