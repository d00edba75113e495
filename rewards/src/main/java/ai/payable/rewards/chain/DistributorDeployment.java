package ai.payable.rewards.chain;

import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.chain.binding.TestToken;
import ai.payable.rewards.merkle.ClaimDomain;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.exceptions.TransactionException;

/** A deployed distributor and the token it pays. */
public record DistributorDeployment(String token, String distributor) {

  /** The contract's bounds on the timelock ({@code MIN_TIMELOCK}, {@code MAX_TIMELOCK}). */
  public static final Duration MIN_TIMELOCK = Duration.ofHours(1);

  public static final Duration MAX_TIMELOCK = Duration.ofDays(30);

  /** How long a new admin waits before taking the role, unless the deployment says otherwise. */
  public static final Duration DEFAULT_ADMIN_TRANSFER_DELAY = Duration.ofDays(2);

  /**
   * Who holds what. Production gives each role its own key (the admin ideally a multisig), so that
   * no single key can both post a root and wave it through review.
   */
  public record Roles(String admin, String updater, String guardian) {

    /** One key in every role: development chains, tests and the demo only. */
    public static Roles single(String account) {
      return new Roles(account, account, account);
    }

    /** Whether two roles share an account. */
    public boolean shareAKey() {
      return admin.equalsIgnoreCase(updater) || admin.equalsIgnoreCase(guardian) || updater.equalsIgnoreCase(guardian);
    }
  }

  /**
   * Checks {@code timelock} against the contract's {@code MIN_TIMELOCK} and {@code MAX_TIMELOCK}, so
   * that a bad value is refused before a transaction is signed.
   *
   * @throws IllegalArgumentException naming the bounds
   */
  public static void requireWithinBounds(Duration timelock) {
    if (timelock.compareTo(MIN_TIMELOCK) < 0 || timelock.compareTo(MAX_TIMELOCK) > 0) {
      throw new IllegalArgumentException("timelock " + timelock.toSeconds() + " s is outside the distributor's bounds, " + MIN_TIMELOCK.toSeconds()
          + " to " + MAX_TIMELOCK.toSeconds() + " s; nothing sent");
    }
  }

  /** Deploys a distributor paying {@code token} with {@code roles}, in one transaction. */
  public static DistributorDeployment deploy(EvmClient chain, String token, Roles roles, Duration timelock, Duration adminTransferDelay)
      throws IOException, TransactionException {
    requireWithinBounds(timelock);
    String distributor = chain.deploy(RewardsDistributor.BINARY,
        List.of(new Address(token), new Address(roles.admin()), new Address(roles.updater()), new Address(roles.guardian()),
            new Uint64(timelock.toSeconds()), new Uint48(adminTransferDelay.toSeconds()))).getContractAddress();
    return new DistributorDeployment(token, distributor);
  }

  /**
   * Deploys a {@code TestToken} and a distributor paying it, with {@code chain}'s sender in every
   * role, and mints {@code funding} to the distributor. For tests, benchmarks and the demo;
   * production deploys the distributor against an existing token with separate keys.
   */
  public static DistributorDeployment withTestToken(EvmClient chain, Duration timelock, BigInteger funding) throws IOException, TransactionException {
    String token = deployTestToken(chain);
    DistributorDeployment d = deploy(chain, token, Roles.single(chain.from()), timelock, Duration.ofDays(1));
    if (funding.signum() > 0) {
      chain.execute(token, chain.testToken(token).mint(d.distributor(), funding));
    }
    return d;
  }

  /** Deploys a {@code TestToken}, mintable by the sender; returns its address. */
  public static String deployTestToken(EvmClient chain) throws IOException, TransactionException {
    return chain.deploy(TestToken.BINARY, List.of(new Address(chain.from()))).getContractAddress();
  }

  /** The distributor at {@code distributor}, with the token it pays read from the chain. */
  public static DistributorDeployment at(EvmClient chain, String distributor) throws IOException {
    return new DistributorDeployment(chain.read(chain.distributor(distributor).TOKEN()), distributor);
  }

  /** Where this distributor's leaves can be claimed: the chain the client is on. */
  public ClaimDomain domain(EvmClient chain) {
    return ClaimDomain.of(chain.chainId(), distributor, token);
  }
}
