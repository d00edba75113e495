/*
 * Test-only browser wallet: an EIP-1193 provider at window.ethereum backed by a local anvil node.
 * Plain script, no imports. Configure it before this script runs:
 *
 *   window.__payableTestWallet = {
 *     rpcUrl: "http://127.0.0.1:8545",   // anvil (its accounts are unlocked, CORS is allowed)
 *     account: "0x...",                   // the account the "wallet" holds
 *     chainId: 31337,                     // the chain the wallet says it is on (set another to fake a wrong network)
 *     reject: false                       // true: eth_sendTransaction fails like a user pressing "Reject"
 *   };
 *
 * Every transaction hash sent is appended to window.__payableTestWallet.sent.
 * Tests may change chainId/reject/account on the config object at any time; the provider reads it on each call.
 */
(function () {
  "use strict";

  var config = window.__payableTestWallet || {};
  window.__payableTestWallet = config;
  if (!config.rpcUrl) config.rpcUrl = "http://127.0.0.1:8545";
  if (config.chainId == null) config.chainId = 31337;
  if (!Array.isArray(config.sent)) config.sent = [];

  var listeners = {};
  var nextId = 1;

  function providerError(code, message, data) {
    var e = new Error(message);
    e.code = code;
    if (data !== undefined) e.data = data;
    return e;
  }

  function emit(event, value) {
    var list = (listeners[event] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i](value);
      } catch (err) {
        console.error("injected-provider listener for " + event + " failed", err);
      }
    }
  }

  function toHexChainId(id) {
    return "0x" + Number(id).toString(16);
  }

  function rpc(method, params) {
    return fetch(config.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method: method, params: params || [] })
    }).then(function (res) {
      if (!res.ok) throw providerError(-32603, "RPC HTTP " + res.status + " for " + method);
      return res.json();
    }, function (err) {
      throw providerError(-32603, "cannot reach " + config.rpcUrl + ": " + (err && err.message));
    }).then(function (body) {
      if (body.error) throw providerError(body.error.code, body.error.message, body.error.data);
      return body.result;
    });
  }

  function accounts() {
    return config.account ? [config.account] : [];
  }

  var provider = {
    isPayableTestWallet: true,

    request: function (args) {
      var method = args && args.method;
      var params = (args && args.params) || [];
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return Promise.resolve(accounts());
        case "eth_chainId":
          return Promise.resolve(toHexChainId(config.chainId));
        case "net_version":
          return Promise.resolve(String(Number(config.chainId)));
        case "eth_sendTransaction":
          if (config.reject) {
            return Promise.reject(providerError(4001, "User rejected the request."));
          }
          return rpc(method, params).then(function (hash) {
            config.sent.push(hash);
            return hash;
          });
        case "wallet_switchEthereumChain": {
          var wanted = params[0] && params[0].chainId;
          return rpc("eth_chainId", []).then(function (nodeChainId) {
            if (wanted == null || Number(wanted) !== Number(nodeChainId)) {
              throw providerError(4902, "Unrecognized chain ID \"" + wanted + "\". Try adding the chain using wallet_addEthereumChain first.");
            }
            var changed = Number(config.chainId) !== Number(nodeChainId);
            config.chainId = Number(nodeChainId);
            if (changed) {
              setTimeout(function () { emit("chainChanged", toHexChainId(config.chainId)); }, 0);
            }
            return null;
          });
        }
        default:
          return rpc(method, params);
      }
    },

    on: function (event, listener) {
      (listeners[event] = listeners[event] || []).push(listener);
      return provider;
    },

    removeListener: function (event, listener) {
      var list = listeners[event] || [];
      var i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
      return provider;
    },

    // Test hook: make the wallet report another chain and tell the page, as a real wallet does.
    __setChainId: function (chainId) {
      config.chainId = Number(chainId);
      emit("chainChanged", toHexChainId(config.chainId));
    },

    // Test hook: switch the account and tell the page.
    __setAccount: function (account) {
      config.account = account;
      emit("accountsChanged", accounts());
    }
  };
  provider.off = provider.removeListener;
  provider.addListener = provider.on;

  window.ethereum = provider;
})();
