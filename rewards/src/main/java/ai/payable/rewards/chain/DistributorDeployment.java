package ai.payable.rewards.chain;

import ai.payable.core.crypto.Keccak;
import ai.payable.rewards.chain.binding.RewardsDistributor;
import ai.payable.rewards.chain.binding.TestToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * A deployed distributor and its reward token.
 *
 * @param token the ERC-20 paid out
 * @param distributor the {@code RewardsDistributor}
 */
public record DistributorDeployment(String token, String distributor) {

  /** May submit roots. */
  public static final byte[] UPDATER_ROLE = Keccak.hash("UPDATER_ROLE");

  /** May revoke a pending root and pause claims. */
  public static final byte[] GUARDIAN_ROLE = Keccak.hash("GUARDIAN_ROLE");

  /**
   * Deploys a distributor paying {@code token}, with {@code chain}'s sender as admin, and grants
   * the updater and guardian roles.
   */
  public static DistributorDeployment deploy(EvmClient chain, String token, long timelockSeconds, String updater, String guardian)
      throws IOException, TransactionException {
    String distributor = chain.deploy(RewardsDistributor.BINARY,
        List.of(new Address(token), new Address(chain.from()), new Uint64(timelockSeconds))).getContractAddress();
    RewardsDistributor binding = chain.distributor(distributor);
    chain.execute(distributor, binding.grantRole(UPDATER_ROLE, updater));
    chain.execute(distributor, binding.grantRole(GUARDIAN_ROLE, guardian));
    return new DistributorDeployment(token, distributor);
  }

  /**
   * Deploys a {@code TestToken} and a distributor paying it, with {@code chain}'s sender as admin,
   * updater and guardian, and mints {@code funding} to the distributor. For tests, benchmarks and
   * the demo; production deploys the distributor against an existing token.
   */
  public static DistributorDeployment withTestToken(EvmClient chain, long timelockSeconds, BigInteger funding)
      throws IOException, TransactionException {
    String token = deployTestToken(chain);
    DistributorDeployment d = deploy(chain, token, timelockSeconds, chain.from(), chain.from());
    if (funding.signum() > 0) {
      chain.execute(token, chain.testToken(token).mint(d.distributor(), funding));
    }
    return d;
  }

  /** Deploys a {@code TestToken}, mintable by the sender; returns its address. */
  public static String deployTestToken(EvmClient chain) throws IOException, TransactionException {
    return chain.deploy(TestToken.BINARY, List.of(new Address(chain.from()))).getContractAddress();
  }
}
