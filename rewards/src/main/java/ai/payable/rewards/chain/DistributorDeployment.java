package ai.payable.rewards.chain;

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

  /**
   * Deploys a {@code TestToken} and a distributor paying it, with {@code chain}'s sender as admin
   * and updater, and mints {@code funding} to the distributor. For tests, benchmarks and the demo;
   * production deploys the distributor against an existing token.
   */
  public static DistributorDeployment withTestToken(EvmClient chain, long timelockSeconds, BigInteger funding)
      throws IOException, TransactionException {
    String admin = chain.from();
    String token = chain.deploy(CompiledContract.load("TestToken").bytecode(), List.of(new Address(admin))).getContractAddress();
    String distributor = chain.deploy(CompiledContract.load("RewardsDistributor").bytecode(),
        List.of(new Address(token), new Address(admin), new Uint64(timelockSeconds))).getContractAddress();
    chain.execute(distributor, DistributorCalls.grantRole(DistributorCalls.UPDATER_ROLE, admin));
    if (funding.signum() > 0) {
      chain.execute(token, DistributorCalls.mint(distributor, funding));
    }
    return new DistributorDeployment(token, distributor);
  }
}
