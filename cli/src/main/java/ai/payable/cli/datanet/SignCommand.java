package ai.payable.cli.datanet;

import ai.payable.cli.KeyOptions;
import ai.payable.core.submission.SubmissionSigner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code payable datanet sign}: signs a contributor's JSONL file with their key. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Signs each line of a JSONL file as an EIP-712 Record (what eth_signTypedData_v4 signs) and fills in 'contributor' and 'signature'. Input lines carry datanet, license, kind, prompt, completion, text and createdAt. The key comes from a keystore file (password in $PAYABLE_KEYSTORE_PASSWORD) or from an environment variable; it is never printed."
    })
final class SignCommand implements Callable<Integer> {

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "Unsigned JSONL file.")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Signed JSONL file to write.")
  Path out;

  @ArgGroup(exclusive = true, multiplicity = "1")
  KeyOptions key;

  @Override
  public Integer call() throws Exception {
    SubmissionSigner signer = new SubmissionSigner(key.load());
    long lines = signer.signFile(in, out);
    System.out.println("signed " + lines + " line(s) as " + signer.address().checksummed() + " -> " + out);
    return 0;
  }
}
