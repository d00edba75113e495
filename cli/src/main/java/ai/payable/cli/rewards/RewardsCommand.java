package ai.payable.cli.rewards;

import ai.payable.cli.ChainOptions;
import ai.payable.cli.KeyOptions;
import ai.payable.cli.LakehouseOption;
import ai.payable.cli.TokenOption;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.DistributionStatus;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.identity.Address;
import ai.payable.core.lakehouse.HadoopSettings;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.TokenUnits;
import ai.payable.rewards.chain.ChainConnection;
import ai.payable.rewards.chain.DevChain;
import ai.payable.rewards.chain.DistributorDeployment;
import ai.payable.rewards.chain.DistributorGovernance;
import ai.payable.rewards.chain.DistributorState;
import ai.payable.rewards.chain.EvmClient;
import ai.payable.rewards.chain.JournaledSender;
import ai.payable.rewards.chain.RootAcceptance;
import ai.payable.rewards.chain.RootPoster;
import ai.payable.rewards.chain.TokenMetadata;
import ai.payable.rewards.distribution.DistributionBuilder;
import ai.payable.rewards.distribution.DistributionLedger;
import ai.payable.rewards.distribution.QuietEpoch;
import ai.payable.rewards.merkle.BalancesCsv;
import ai.payable.rewards.merkle.ClaimDomain;
import ai.payable.rewards.merkle.CumulativeBalance;
import ai.payable.rewards.merkle.DistributionFiles;
import ai.payable.rewards.merkle.DistributionManifest;
import ai.payable.rewards.merkle.RewardsMerkleTree;
import ai.payable.rewards.site.ClaimSite;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable rewards}: Merkle distributions of cumulative rewards. */
@Command(
    name = "rewards",
    mixinStandardHelpOptions = true,
    description = {"Cumulative reward distributions and the on-chain distributor.", "", "Each epoch: build (Merkle tree of cumulative balances) → propose (root on-chain, behind a timelock) → governance reviews → accept. Contributors then claim with `payable claim`.", "",
      "Governance (pause, unpause, revoke, roles, timelock) takes --dry-run to show a call and its simulated outcome without sending it."},
    subcommands = {RewardsCommand.Build.class, RewardsCommand.Deploy.class, RewardsCommand.Propose.class, RewardsCommand.Accept.class,
      RewardsCommand.Revoke.class, RewardsCommand.Pause.class, RewardsCommand.Unpause.class, RolesCommand.class, TimelockCommand.class,
      RewardsCommand.Status.class, RewardsCommand.Tree.class, RewardsCommand.Site.class})
public final class RewardsCommand {

  /** Receipt polling interval: a couple of L2 blocks. */
  static final long POLL_MILLIS = 1000;

  /** A root proposed by one scheduled run must be acceptable this long before the next. */
  static final Duration SCHEDULE_MARGIN = Duration.ofHours(1);

  /** {@code payable rewards build --epoch E}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Builds an epoch's distribution from epoch_rewards: everyone's cumulative balance up to and including the epoch, checked against the previous distribution (no balance decreases; the increases equal the epoch's rewards), then the tree, proofs and balances.csv, recorded in the distributions table.",
        "",
        "Re-running gives the same root; an epoch already proposed on-chain is never rebuilt into a different one.",
        "",
        "Every leaf binds the chain, the distributor and its token, so the distribution can be claimed there only: --rpc, --chain-id and "
            + "--distributor (or their environment variables) are required, and a distributor other than the previous epoch's is refused "
            + "(cumulative balances would pay its claims again).",
        "",
        "distribution.json beside them names the epoch, root, claim domain, totals, the previous distribution and the reward token's units, so "
            + "contributors can read what they are owed from the files alone (payable claim --offline). The units come from --token-units, or "
            + "from the chain."
      })
  static final class Build implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @Mixin TokenOption token;

    @Option(names = "--epoch", required = true, paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day).")
    LocalDate epoch;

    @Option(names = "--artifacts", defaultValue = "${env:PAYABLE_DISTRIBUTIONS:-distributions}", paramLabel = "DIR|URI",
        description = "Where each epoch's files go, in a folder named by the epoch: a directory or a URI such as s3a://bucket/distributions (default: $PAYABLE_DISTRIBUTIONS or ${DEFAULT-VALUE}).")
    String artifacts;

    @Override
    public Integer call() throws Exception {
      Lakehouse lh = lakehouse.open();
      if (QuietEpoch.isQuiet(lh, epoch)) {
        System.out.println(QuietEpoch.message(epoch) + ": nothing to distribute, no root for it");
        return 0;
      }
      TokenUnits units = token.resolve(chain, distributor);
      ClaimDomain domain;
      try (ChainConnection connection = chain.connect()) {
        EvmClient client = EvmClient.readOnly(connection);
        domain = DistributorDeployment.at(client, distributor.address()).domain(client);
      }
      var d = new DistributionBuilder(lh, artifacts).build(epoch, domain, units);
      System.out.printf("epoch %s: %d accounts, %s cumulative, %s this epoch%nroot %s%nfiles %s%n",
          d.epoch(), d.accounts(), units.formatWithWei(d.cumulativeTotal()), units.formatWithWei(d.epochTotal()), d.root(), d.location());
      return 0;
    }
  }

  /** {@code payable rewards deploy}. */
  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Deploys a RewardsDistributor paying an existing ERC-20 (--token) or a new test token (--test-token, for local chains and demos), "
            + "in one transaction that also assigns its three roles: the admin (grants roles, proposes timelock changes; ideally a multisig), "
            + "the updater (proposes roots; the nightly run's key) and the guardian (revokes and pauses; governance's key).",
        "",
        "The roles must be three different accounts, so that no one key can both post a root and wave it through review; --single-key puts "
            + "the sender in all three, for development chains only. The timelock is checked against the contract's bounds and against the "
            + "schedule: a root proposed by one nightly run must be acceptable by the next.",
        "",
        "Prints PAYABLE_TOKEN and PAYABLE_DISTRIBUTOR as shell assignments, the settings the other commands read from the environment."
      })
  static final class Deploy implements Callable<Integer> {
    @Mixin ChainOptions chain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenChoice token;

    static final class TokenChoice {
      @Option(names = "--token", paramLabel = "0x…", description = "The ERC-20 the distributor pays.")
      String address;

      @Option(names = "--test-token", description = "Deploy a mintable test token (owner: the sender) and pay that.")
      boolean test;
    }

    @Option(names = "--mint-to-sender", defaultValue = "0", paramLabel = "WEI",
        description = "With --test-token: mint this many tokens to the sender, to fund the distributor later with `propose --top-up`.")
    BigInteger mint;

    @Option(names = "--timelock", defaultValue = "43200", paramLabel = "SECONDS",
        description = "How long a proposed root waits before it can be accepted, the window governance has to review it (default: ${DEFAULT-VALUE}; "
            + "the contract allows 3600 to 2592000).")
    long timelock;

    @Option(names = "--schedule-period", defaultValue = "86400", paramLabel = "SECONDS",
        description = "How often the nightly run proposes a root (default: ${DEFAULT-VALUE}); the timelock must end an hour before the next run.")
    long period;

    @Option(names = "--admin", paramLabel = "0x…", description = "Admin account (default: the sender).")
    String admin;

    @Option(names = "--updater", paramLabel = "0x…", description = "Account that proposes roots: the nightly run's key.")
    String updater;

    @Option(names = "--guardian", paramLabel = "0x…", description = "Account that revokes pending roots and pauses: governance's key.")
    String guardian;

    @Option(names = "--single-key", description = "Development chains only: the sender holds every role.")
    boolean singleKey;

    @Option(names = "--admin-delay", defaultValue = "172800", paramLabel = "SECONDS",
        description = "How long a new admin waits before accepting the role after a transfer begins (default: ${DEFAULT-VALUE}).")
    long adminDelay;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeyOptions key;

    @Override
    public Integer call() throws Exception {
      DistributorGovernance.checkTimelock(Duration.ofSeconds(timelock), Duration.ofSeconds(period), SCHEDULE_MARGIN);
      if (mint.signum() != 0 && !token.test) {
        throw new IllegalArgumentException("--mint-to-sender only works with --test-token; a real token is funded by its owner");
      }
      try (ChainConnection connection = chain.connect()) {
        EvmClient client = new EvmClient(connection, Credentials.create(key.load()), POLL_MILLIS);
        DistributorDeployment.Roles roles = roles(client.from());
        String tokenAddress = token.test ? DistributorDeployment.deployTestToken(client) : Address.parse(token.address).checksummed();
        if (mint.signum() > 0) {
          client.execute(tokenAddress, client.testToken(tokenAddress).mint(client.from(), mint));
        }
        DistributorDeployment d = DistributorDeployment.deploy(client, tokenAddress, roles, Duration.ofSeconds(timelock), Duration.ofSeconds(adminDelay));
        System.err.printf("deployed RewardsDistributor on chain %d: timelock %d s; admin %s, updater %s, guardian %s%n", connection.chainId(), timelock,
            roles.admin(), roles.updater(), roles.guardian());
        System.out.println("PAYABLE_TOKEN=" + d.token());
        System.out.println("PAYABLE_DISTRIBUTOR=" + Address.parse(d.distributor()).checksummed());
        return 0;
      }
    }

    private DistributorDeployment.Roles roles(String sender) {
      if (singleKey) {
        if (admin != null || updater != null || guardian != null) {
          throw new IllegalArgumentException("--single-key puts the sender in every role; leave out --admin, --updater and --guardian");
        }
        return DistributorDeployment.Roles.single(sender);
      }
      if (updater == null || guardian == null) {
        throw new IllegalArgumentException("name the updater (--updater 0x…, the nightly run's key) and the guardian (--guardian 0x…, governance's "
            + "key); on a development chain, --single-key gives the sender every role");
      }
      DistributorDeployment.Roles roles = new DistributorDeployment.Roles(admin == null ? sender : Address.parse(admin).checksummed(),
          Address.parse(updater).checksummed(), Address.parse(guardian).checksummed());
      if (roles.shareAKey()) {
        throw new IllegalArgumentException("admin " + roles.admin() + ", updater " + roles.updater() + " and guardian " + roles.guardian()
            + " must be three different accounts, so that no key can both post a root and pass its review (--single-key for development chains)");
      }
      return roles;
    }
  }

  /** {@code payable rewards propose --epoch E}. */
  @Command(
      name = "propose",
      mixinStandardHelpOptions = true,
      description = {
        "Proposes an epoch's built root to the distributor (EIP-1559, gas estimated with a margin, RPC calls retried with backoff). Reads the chain first: if the same root is already pending or accepted for the epoch nothing is sent; if a different root sits there the command refuses.",
        "",
        "A root of another epoch still pending is never replaced implicitly: accept it first (`payable rewards accept`), or replace it on purpose "
            + "with --replace REASON (the contract announces the dropped root).",
        "",
        "Crash-safe: every transaction is recorded in chain_transactions before it is sent. A re-run after a crash finds it and waits for it, "
            + "sends it again, or replaces it at the same nonce with a higher fee; it never sends a second, independent one.",
        "",
        "Checks the distributor holds enough tokens for the new balances (cumulative total minus everything claimed); if not it refuses naming "
            + "the amount, or sends exactly the shortfall: from a funding account that approved the proposer (--top-up-from), or with --top-up "
            + "from the proposer's own balance.",
        "",
        "The key comes from a keystore (password in $PAYABLE_KEYSTORE_PASSWORD) or an environment variable and is never printed."
      })
  static final class Propose implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @Option(names = "--epoch", required = true, paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day).")
    LocalDate epoch;

    @Option(names = "--top-up", description = "Send the distributor exactly the missing tokens instead of refusing.")
    boolean topUp;

    @Option(names = "--top-up-from", paramLabel = "0x…",
        description = "Send the shortfall from this funding account (e.g. the fee treasury), which approved the proposer to move its tokens "
            + "(transferFrom); implies --top-up. An empty value names none, so a scheduler can pass an optional setting.")
    String topUpFrom;

    @Option(names = "--replace", paramLabel = "REASON", description = "Replace a root still pending, saying why (printed and announced on-chain).")
    String replace;

    @Option(names = "--schedule-period", defaultValue = "86400", paramLabel = "SECONDS",
        description = "How often the nightly run proposes (default: ${DEFAULT-VALUE}); a distributor whose timelock would not end an hour before "
            + "the next run is refused.")
    long period;

    @Option(names = "--confirmations", defaultValue = "1", paramLabel = "N",
        description = "Blocks the proposal needs, counting the one that mines it, before it is recorded as proposed (default: ${DEFAULT-VALUE}).")
    int confirmations;

    @Option(names = "--replace-after", defaultValue = "180", paramLabel = "SECONDS",
        description = "How long an unmined transaction waits before it is replaced at the same nonce with fees a quarter higher (default: ${DEFAULT-VALUE}).")
    long replaceAfter;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeyOptions key;

    @Override
    public Integer call() throws Exception {
      try (ChainConnection connection = chain.connect()) {
        if (replace != null && replace.isBlank()) {
          throw new IllegalArgumentException("--replace must say why the pending root is replaced");
        }
        var lh = lakehouse.open();
        if (QuietEpoch.isQuiet(lh, epoch)) {
          System.out.println(QuietEpoch.message(epoch) + ": no root to propose; nothing sent");
          return 0;
        }
        EvmClient client = new EvmClient(connection, Credentials.create(key.load()), POLL_MILLIS);
        // A root this run proposes must be acceptable by the next run, or it would wait a night more, or be left behind.
        DistributorGovernance.checkTimelock(Duration.ofSeconds(DistributorState.read(client, distributor.address()).timelockSeconds()),
            Duration.ofSeconds(period), SCHEDULE_MARGIN);
        Optional<String> funder = Optional.ofNullable(topUpFrom).filter(a -> !a.isBlank()).map(a -> Address.parse(a).checksummed());
        var funding = new RootPoster.Funding(topUp || funder.isPresent(), funder);
        var sending = new JournaledSender.Settings(confirmations, Duration.ofSeconds(replaceAfter), JournaledSender.Settings.DEFAULT.maxReplacements(),
            JournaledSender.Settings.DEFAULT.confirmationPatience());
        var result = new RootPoster(lh, client, distributor.address(), sending).propose(epoch, funding, Optional.ofNullable(replace));
        String report = new DistributionLedger(lh).require(epoch).reportUri();
        if (result.toppedUp().signum() > 0) {
          System.out.println("topped up the distributor with " + TokenMetadata.read(client, distributor.address()).formatWithWei(result.toppedUp()));
        }
        switch (result.outcome()) {
          case SENT -> System.out.println("proposed root " + result.root() + " for " + epoch + " in tx " + result.txHash()
              + "; accept it with `payable rewards accept` once the timelock has passed");
          case REPLACED -> System.out.println("replaced the pending root " + result.replaced().orElseThrow().root() + " of "
              + result.replaced().orElseThrow().epoch() + " with " + result.root() + " for " + epoch + " in tx " + result.txHash() + "; reason: " + replace);
          case ALREADY_PENDING -> System.out.println("root " + result.root() + " for " + epoch + " is already pending; nothing sent");
          case ALREADY_ACCEPTED -> System.out.println("root " + result.root() + " for " + epoch + " is already accepted; nothing sent");
        }
        System.out.println(report == null ? "warning: no governance report is recorded for this root; run `payable report --epoch " + epoch
            + "` so reviewers have it during the timelock" : "governance report: " + report);
        return 0;
      }
    }
  }

  /** {@code payable rewards accept}. */
  @Command(
      name = "accept",
      mixinStandardHelpOptions = true,
      description = {
        "Accepts the pending root once its timelock has passed, making it claimable, and marks its epoch accepted in the distributions table. Anyone may accept; before the timelock ends the command says when to come back and sends nothing.",
        "",
        "On a local development chain (anvil, Hardhat) the clock moves only when a block is mined, and an idle node mines none: "
            + "--advance-time moves its clock to the end of the timelock first. Real networks refuse it."
      })
  static final class Accept implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeyOptions key;

    @Option(names = "--advance-time", description = "Development chains only: move the chain's clock to the end of the timelock, then accept.")
    boolean advanceTime;

    @Override
    public Integer call() throws Exception {
      try (ChainConnection connection = chain.connect()) {
        EvmClient client = new EvmClient(connection, Credentials.create(key.load()), POLL_MILLIS);
        Optional<DevChain> dev = DevChain.detect(connection.web3(), connection.url());
        if (advanceTime && dev.isEmpty()) {
          throw new IllegalArgumentException("--advance-time works only on a local development chain (anvil, Hardhat, Ganache); " + connection.url()
              + " is " + connection.web3().web3ClientVersion().send().getWeb3ClientVersion() + ", where the timelock ends by waiting; nothing sent");
        }
        RootAcceptance acceptance = new RootAcceptance(new DistributionLedger(lakehouse.open()), client, distributor.address());
        RootAcceptance.Result result;
        try {
          result = acceptance.accept();
        } catch (RootAcceptance.TimelockNotOver early) {
          if (dev.isEmpty()) {
            throw early;
          }
          if (!advanceTime) {
            throw new IllegalStateException(early.getMessage() + ". This is a local development chain (" + dev.get().client()
                + "): its clock moves only when a block is mined and an idle node mines none, so waiting will not help. "
                + "Run `payable rewards accept --advance-time` with the same options to move its clock to the end of the timelock and accept.");
          }
          dev.get().advance(early.left());
          System.out.println("advanced the development chain's clock by " + early.left().toSeconds() + " s to the end of the timelock");
          result = acceptance.accept();
        }
        if (result.pending().isEmpty()) {
          System.out.println("no root is pending; nothing sent");
          return 0;
        }
        var p = result.pending().get();
        System.out.println("accepted root " + p.root() + " for " + p.epoch() + " in tx " + result.txHash());
        if (!result.recorded()) {
          System.err.println("warning: " + p.epoch() + " with that root is not in this lakehouse's distributions table; status not recorded");
        }
        return 0;
      }
    }
  }

  /** {@code payable rewards revoke --reason TEXT}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Guardian only: revokes the pending root during its timelock, so it never becomes claimable. The epoch's distribution goes back to "
            + "'built' in the distributions table; fix what the review found, rebuild and propose again. The accepted root, and claims against "
            + "it, are untouched. If the timelock is about to end, pause first: a paused distributor accepts no root."
      })
  static final class Revoke implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the record (printed with the transaction).")
    String reason;

    @Mixin GovernanceSender sender;

    @Override
    public Integer call() throws Exception {
      if (reason.isBlank()) {
        throw new IllegalArgumentException("--reason must say why the root is revoked");
      }
      try (ChainConnection connection = chain.connect()) {
        EvmClient client = sender.client(connection);
        DistributorGovernance governance = new DistributorGovernance(client, distributor.address());
        Optional<DistributorState.PendingRoot> pending = governance.state().pending();
        Optional<String> tx = sender.run(client, governance.revokePendingRoot(), "no root is pending",
            pending.map(p -> "revoked root " + p.root() + " for " + p.epoch() + " (reason: " + reason + ")").orElse(""));
        if (tx.isPresent() && !new DistributionLedger(lakehouse.open()).mark(pending.get().epoch(), pending.get().root(), DistributionStatus.BUILT, tx.get())) {
          System.err.println("warning: " + pending.get().epoch() + " with that root is not in this lakehouse's distributions table; status not recorded");
        }
        return 0;
      }
    }
  }

  /** {@code payable rewards pause}. */
  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = {"Guardian only: stops all claims, and the acceptance of pending roots, until `payable rewards unpause`. Roots can still be "
          + "proposed and revoked."})
  static final class Pause implements Callable<Integer> {
    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @Mixin GovernanceSender sender;

    @Override
    public Integer call() throws Exception {
      return setPaused(chain, distributor, sender, true);
    }
  }

  /** {@code payable rewards unpause}. */
  @Command(name = "unpause", mixinStandardHelpOptions = true,
      description = {"Guardian only: lets claims and root acceptance resume after `payable rewards pause`."})
  static final class Unpause implements Callable<Integer> {
    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @Mixin GovernanceSender sender;

    @Override
    public Integer call() throws Exception {
      return setPaused(chain, distributor, sender, false);
    }
  }

  private static int setPaused(ChainOptions chain, ChainOptions.Distributor distributor, GovernanceSender sender, boolean paused) throws Exception {
    try (ChainConnection connection = chain.connect()) {
      EvmClient client = sender.client(connection);
      sender.run(client, new DistributorGovernance(client, distributor.address()).setPaused(paused),
          "claims are already " + (paused ? "paused" : "open"), paused ? "paused claims and acceptance" : "claims and acceptance resumed");
      return 0;
    }
  }

  /** {@code payable rewards status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Shows the distributor's state: the accepted root and epoch, the pending root and when its timelock ends, whether claims are paused, and its token balance against everything claimed so far. Reads only; needs no key."
      })
  static final class Status implements Callable<Integer> {
    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @Override
    public Integer call() throws Exception {
      try (ChainConnection connection = chain.connect()) {
        EvmClient client = EvmClient.readOnly(connection);
        DistributorState s = DistributorState.read(client, distributor.address());
        TokenUnits units = TokenMetadata.read(client, distributor.address());
        System.out.printf("distributor   %s on chain %d%n", distributor.address(), connection.chainId());
        System.out.printf("accepted      %s%n", s.epoch().map(e -> e + "  root " + s.root()).orElse("none yet"));
        System.out.printf("pending       %s%n", s.pending().map(p -> p.epoch() + "  root " + p.root() + "  acceptable "
            + (s.chainTime().isBefore(p.validAt()) ? "at " + p.validAt() + " (in " + Duration.between(s.chainTime(), p.validAt()).toMinutes() + " min)" : "now"))
            .orElse("none"));
        System.out.printf("timelock      %d s%s%n", s.timelockSeconds(), s.pendingTimelock().map(t -> "  (change to " + t.timelock().toSeconds()
            + " s proposed, effective " + (s.chainTime().isBefore(t.validAt()) ? "from " + t.validAt() : "once accepted") + ")").orElse(""));
        System.out.printf("claims        %s%n", s.paused() ? "PAUSED by the guardian (acceptance too)" : "open");
        System.out.printf("token         %s (%s, %d decimals)%n", s.token(), units.symbol(), units.decimals());
        System.out.printf("balance       %s%n", units.formatWithWei(s.balance()));
        System.out.printf("claimed       %s in total%n", units.formatWithWei(s.totalClaimed()));
        System.out.printf("chain time    %s%n", s.chainTime());
        return 0;
      }
    }
  }

  /** {@code payable rewards site --epoch E|--accepted --out DIR}. */
  @Command(
      name = "site",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the contributors' claim page of a distribution: a folder of plain files (no server code, nothing from a CDN) to host on any "
            + "web server or object store.",
        "",
        "Contributors open it, connect their browser wallet, and see what they earned, what they already claimed, what is claimable now, "
            + "and why they were paid: the answers that used their records, and those records (DataNet, first words, landing file and line). "
            + "The page checks their Merkle proof against the root on chain and sends the claim from their wallet. Proofs are split into "
            + "shards by account prefix and each account's history is its own file, so a contributor downloads kilobytes, not everyone's data.",
        "",
        "--accepted writes the site of the distribution whose root is accepted on chain (what the nightly run publishes after accepting); "
            + "the folder is replaced in one move. Browsers do not run the page from file://: serve it, e.g. "
            + "python3 -m http.server --directory DIR 8000."})
  static final class Site implements Callable<Integer> {
    @Mixin LakehouseOption lakehouse;

    @Mixin ChainOptions chain;

    @Mixin ChainOptions.Distributor distributor;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
      @Option(names = "--epoch", paramLabel = "YYYY-MM-DD", description = "The epoch (UTC day) of the distribution.")
      LocalDate epoch;

      @Option(names = "--accepted", description = "The distribution whose root the distributor has accepted (needs the chain options).")
      boolean accepted;
    }

    @Option(names = "--out", defaultValue = "${env:PAYABLE_CLAIM_SITE:-claim-site-out}", paramLabel = "DIR",
        description = "The site's folder, replaced as a whole (default: $PAYABLE_CLAIM_SITE or ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      LocalDate epoch = which.epoch;
      if (which.accepted) {
        try (ChainConnection connection = chain.connect()) {
          Optional<LocalDate> accepted = DistributorState.read(EvmClient.readOnly(connection), distributor.address()).epoch();
          if (accepted.isEmpty()) {
            System.out.println("the distributor has accepted no root yet: no claim site to write");
            return 0;
          }
          epoch = accepted.get();
        }
      }
      ClaimSite.Written w = new ClaimSite(lakehouse.open()).write(epoch, out);
      System.out.printf(Locale.ROOT, "claim site of %s (root %s, %s) in %s%n", w.epoch(), w.root(), w.status().value(), w.folder());
      System.out.printf(Locale.ROOT, "proofs   %,d accounts in %,d shards (prefix of %d hex digits), the largest %,d bytes%n", w.proofs().accounts(),
          w.proofs().shards(), w.proofs().prefixLength(), w.proofs().largestBytes());
      System.out.printf(Locale.ROOT, "lineage  %,d account files%n", w.lineageFiles());
      if (w.status() != DistributionStatus.ACCEPTED) {
        System.out.println("note: this root is " + w.status().value() + ", not accepted on chain: the page lets contributors claim once it is");
      }
      System.out.println("open it: python3 -m http.server --directory " + w.folder() + " 8000, then http://127.0.0.1:8000/");
      return 0;
    }
  }

  /** {@code payable rewards tree --balances FILE.csv --out DIR}. */
  @Command(
      name = "tree",
      mixinStandardHelpOptions = true,
      description = {
        "Builds the Merkle tree of published balances (CSV 'account,cumulative_wei' with that header) and prints its root, so anyone can rebuild a distribution's root independently.",
        "",
        "Leaves bind the claim domain (chain id, distributor, token): taken from --chain-id, --distributor and --token when all three are given, "
            + "else from the distribution.json published beside the balances.",
        "",
        "Writes DIR/tree.json (the standard-v1 dump @openzeppelin/merkle-tree loads) and DIR/proofs.json (each account's cumulative amount and proof)."
      })
  static final class Tree implements Callable<Integer> {
    @Option(names = "--balances", required = true, paramLabel = "FILE.csv",
        description = "Balances: account,cumulative_wei. A path, or a URI as reports print it (file://, s3a://, https://).")
    String balances;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write tree.json and proofs.json.")
    Path out;

    @Option(names = "--chain-id", paramLabel = "ID", description = "The claim domain's chain id.")
    Long chainId;

    @Option(names = "--distributor", paramLabel = "0x…", description = "The claim domain's distributor.")
    String distributor;

    @Option(names = "--token", paramLabel = "0x…", description = "The claim domain's token.")
    String token;

    @Override
    public Integer call() throws Exception {
      int slash = balances.lastIndexOf('/');
      String folder = slash < 0 ? "." : balances.substring(0, slash + 1);
      var hadoop = HadoopSettings.configuration(PayableConfig.fromEnvironment(null));
      List<CumulativeBalance> values;
      try (InputStream csv = ArtifactStore.open(folder, balances.substring(slash + 1), hadoop)) {
        values = BalancesCsv.read(csv, balances);
      }
      ClaimDomain domain;
      if (chainId != null && distributor != null && token != null) {
        domain = ClaimDomain.of(chainId, distributor, token);
      } else if (chainId != null || distributor != null || token != null) {
        throw new IllegalArgumentException("give all of --chain-id, --distributor and --token, or none to read them from distribution.json");
      } else {
        try (InputStream manifest = ArtifactStore.open(folder, DistributionManifest.FILE, hadoop)) {
          domain = DistributionManifest.read(manifest, folder + DistributionManifest.FILE).domain();
        } catch (java.io.FileNotFoundException absent) {
          throw new IllegalArgumentException("no " + DistributionManifest.FILE + " beside " + balances + " to take the claim domain from; "
              + "pass --chain-id, --distributor and --token");
        }
      }
      RewardsMerkleTree tree = RewardsMerkleTree.of(domain, values);
      DistributionFiles.write(tree, out);
      BigInteger total = values.stream().map(CumulativeBalance::cumulativeWei).reduce(BigInteger.ZERO, BigInteger::add);
      System.err.printf("%d accounts, %s wei in total, claimable at %s; wrote %s and %s%n", values.size(), total, domain,
          out.resolve(DistributionFiles.TREE), out.resolve(DistributionFiles.PROOFS));
      System.out.println(tree.root());
      return 0;
    }
  }
}
