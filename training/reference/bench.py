"""transformers (and peft) timings on the CPU, the baselines of benchmarks/run model.

    bench.py --model DIR --inputs INPUTS.json --out OUT.json

INPUTS.json comes from the Java benchmark so that both sides run the same token ids:
    {"threads": 2, "repeats": 3,
     "prefill": [[ids...], ...],                 # one batch, equal lengths, full logits
     "generate": {"prompts": [[ids...], ...], "new_tokens": 64},   # left-padded batch, greedy
     "lora": {"batches": [[[ids...], ...], ...], "rank": 8, "alpha": 16, "targets": [...], "lr": 1e-4}}
OUT.json: seconds (best of the repeats) and tokens of each measure. Eager mode, float32, no_grad
where the Java side runs without autograd, torch threads as given.
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402


def best(repeats, run):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--attention", default="eager", help="eager (the op sequence the Java model runs) or sdpa")
    args = parser.parse_args()
    spec = json.load(open(args.inputs))
    torch.set_num_threads(spec["threads"])
    repeats = spec["repeats"]
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation=args.attention).eval()
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "attention": args.attention}

    ids = torch.tensor(spec["prefill"])
    with torch.no_grad():
        model(input_ids=ids)  # warm-up
        out["prefill"] = {"seconds": best(repeats, lambda: model(input_ids=ids)), "tokens": ids.numel()}

    g = spec["generate"]
    longest = max(len(p) for p in g["prompts"])
    pad = model.generation_config.pad_token_id if model.generation_config.pad_token_id is not None else 0
    batch = torch.tensor([[pad] * (longest - len(p)) + p for p in g["prompts"]])
    mask = torch.tensor([[0] * (longest - len(p)) + [1] * len(p) for p in g["prompts"]])
    produced = {}

    def generate():
        with torch.no_grad():
            result = model.generate(input_ids=batch, attention_mask=mask, max_new_tokens=g["new_tokens"], do_sample=False, pad_token_id=pad)
        new = result[:, longest:]
        eos = model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos])
        count = 0
        for row in new.tolist():
            for t in row:
                if t in eos:
                    break
                count += 1
        produced["tokens"] = count

    generate()
    out["generate"] = {"seconds": best(repeats, generate), "tokens": produced["tokens"]}

    lora = spec.get("lora")
    if lora:
        from peft import LoraConfig, get_peft_model

        peft_model = get_peft_model(model, LoraConfig(r=lora["rank"], lora_alpha=lora["alpha"], target_modules=lora["targets"], lora_dropout=0.0,
                                                      task_type="CAUSAL_LM"))
        peft_model.train()
        optimizer = torch.optim.Adam([p for p in peft_model.parameters() if p.requires_grad], lr=lora["lr"])
        batches = [torch.tensor(b) for b in lora["batches"]]

        def steps():
            for b in batches:
                loss = peft_model(input_ids=b, labels=b).loss
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()

        steps()  # warm-up
        out["lora"] = {"seconds": best(repeats, steps), "tokens": sum(b.numel() for b in batches)}

    json.dump(out, open(args.out, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
