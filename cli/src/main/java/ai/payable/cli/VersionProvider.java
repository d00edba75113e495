package ai.payable.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the build version from the jar manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = PayableMain.class.getPackage().getImplementationVersion();
    return new String[] {"payable " + (v == null ? "(development build)" : v), "Java " + System.getProperty("java.version")};
  }
}
