package ai.payable.core.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.crypto.Hex;
import ai.payable.core.identity.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.StructuredDataEncoder;

class RecordTypedDataTest {

  private static final ECKeyPair KEY = ECKeyPair.create(BigInteger.valueOf(0xC0FFEE));
  private static final String ADDRESS = "0x" + Keys.getAddress(KEY);

  private static RecordContent record(String prompt) {
    return new RecordContent(
        "dermatology", ADDRESS, "CC-BY-4.0", "qa", prompt, "Apply sunscreen daily.", "",
        "2026-11-20T10:00:00Z");
  }

  @Test
  void digestMatchesWeb3jTypedDataEncoder() throws Exception {
    RecordContent r = record("How do I protect \"my\" skin? ünïcødé ✓");
    String json =
        """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"}],
         "Record":[{"name":"datanet","type":"string"},{"name":"contributor","type":"address"},
          {"name":"license","type":"string"},{"name":"kind","type":"string"},
          {"name":"prompt","type":"string"},{"name":"completion","type":"string"},
          {"name":"text","type":"string"},{"name":"createdAt","type":"string"}]},
         "primaryType":"Record","domain":{"name":"Payable AI DataNet","version":"1"},
         "message":{"datanet":"dermatology","contributor":"%s","license":"CC-BY-4.0","kind":"qa",
          "prompt":"How do I protect \\"my\\" skin? ünïcødé ✓","completion":"Apply sunscreen daily.",
          "text":"","createdAt":"2026-11-20T10:00:00Z"}}
        """
            .formatted(ADDRESS);
    byte[] expected = new StructuredDataEncoder(json).hashStructuredData();
    assertEquals(Hex.encode(expected), Hex.encode(RecordTypedData.digest(r)));
  }

  @Test
  void signatureRecoversToSignerAndNotForOtherContent() {
    RecordContent r = record("q1");
    String sig = RecordTypedData.sign(r, KEY);
    assertEquals(Address.parse(ADDRESS), RecordTypedData.recover(RecordTypedData.digest(r), sig).orElseThrow());
    Address other = RecordTypedData.recover(RecordTypedData.digest(record("q2")), sig).orElseThrow();
    assertNotEquals(Address.parse(ADDRESS), other);
  }

  @Test
  void nativeRecoveryIsInUseAndAgreesWithWeb3j() throws Exception {
    assertTrue(ai.payable.core.identity.SignerRecovery.isNative(), "libsecp256k1 did not load");
    for (int i = 1; i <= 20; i++) {
      ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(7919L * i));
      RecordContent r = new RecordContent("d", "0x" + Keys.getAddress(key), "l", "text", "", "", "t" + i, "2026-11-20T10:00:00Z");
      byte[] digest = RecordTypedData.digest(r);
      org.web3j.crypto.Sign.SignatureData sig = org.web3j.crypto.Sign.signMessage(digest, key, false);
      BigInteger web3jKey = org.web3j.crypto.Sign.signedMessageHashToKey(digest, sig);
      assertEquals("0x" + Keys.getAddress(web3jKey), RecordTypedData.recover(digest, RecordTypedData.sign(r, key)).orElseThrow().value());
    }
  }

  @Test
  void malformedSignaturesRecoverNothing() {
    byte[] digest = RecordTypedData.digest(record("q"));
    assertTrue(RecordTypedData.recover(digest, "0x1234").isEmpty());
    assertTrue(RecordTypedData.recover(digest, "0x" + "00".repeat(65)).isEmpty());
    assertTrue(RecordTypedData.recover(digest, "0x" + "11".repeat(64) + "05").isEmpty());
  }

  @Test
  void recordIdDependsOnContentOnly() {
    assertEquals(RecordTypedData.recordId(record("a")), RecordTypedData.recordId(record("a")));
    assertNotEquals(RecordTypedData.recordId(record("a")), RecordTypedData.recordId(record("b")));
  }
}
