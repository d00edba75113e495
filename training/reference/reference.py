"""Hugging Face transformers (and peft) as the reference our DJL models must agree with.

The Java tests run it on the same files and compare:

    reference.py generate --model DIR [--adapter DIR] --requests R.json --out OUT
        For each request ({"messages": [...]} rendered through the model's chat template with the
        generation prompt, or {"ids": [...]}): the next-token logits after the prompt and a greedy
        continuation. Writes OUT.json (ids, rendered text, greedy ids and text) and
        OUT.safetensors (logits.<i>, float32 [vocab]).
    reference.py render --model DIR [--template FILE] --requests R.json --out OUT.json
        Chat templates rendered by transformers (jinja2 with Hugging Face's settings), with and
        without the generation prompt.
    reference.py variants --out DIR
        Tiny random Llama checkpoints, one per config variant the importer supports (grouped-query
        and multi-query attention, tied or untied embeddings, attention/MLP biases, a RoPE base in
        rope_parameters, linear and llama3 RoPE scaling, GELU, a head_dim of its own, F16/BF16
        weights, sharded files), each with the logits transformers computes for fixed token ids.

Everything runs on the CPU in float32 with eager attention (the same matmul/softmax sequence the
Java model runs), offline.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402


def load(model_dir, adapter_dir=None):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    if adapter_dir:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_dir)
    return model.eval()


def prompt_ids(tokenizer, request):
    if "ids" in request:
        return list(request["ids"]), None
    rendered = tokenizer.apply_chat_template(request["messages"], add_generation_prompt=True, tokenize=False)
    ids = tokenizer(rendered, add_special_tokens=False)["input_ids"]
    return ids, rendered


def generate(args):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = load(args.model, args.adapter)
    requests = json.load(open(args.requests))
    results, tensors = [], {}
    with torch.no_grad():
        for i, request in enumerate(requests):
            ids, rendered = prompt_ids(tokenizer, request)
            input_ids = torch.tensor([ids])
            logits = model(input_ids=input_ids).logits[0, -1].float()
            tensors[f"logits.{i}"] = logits.contiguous()
            out = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=args.new_tokens,
                                 do_sample=False, pad_token_id=tokenizer.pad_token_id)
            greedy = out[0, len(ids):].tolist()
            results.append({"ids": ids, "rendered": rendered, "greedy": greedy,
                            "text": tokenizer.decode(greedy, skip_special_tokens=True)})
    save_file(tensors, args.out + ".safetensors")
    json.dump({"results": results}, open(args.out + ".json", "w"), indent=1)


def render(args):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    template = open(args.template).read() if args.template else None
    out = []
    for request in json.load(open(args.requests)):
        row = {}
        for generation in (False, True):
            kwargs = {"chat_template": template} if template else {}
            row["with_generation_prompt" if generation else "plain"] = tokenizer.apply_chat_template(
                request["messages"], add_generation_prompt=generation, tokenize=False, **kwargs)
        out.append(row)
    json.dump(out, open(args.out, "w"), indent=1)


BASE = dict(vocab_size=96, hidden_size=48, intermediate_size=80, num_hidden_layers=2, num_attention_heads=6,
            num_key_value_heads=6, max_position_embeddings=64, rms_norm_eps=1e-5, tie_word_embeddings=False,
            bos_token_id=1, eos_token_id=2, pad_token_id=0)

VARIANTS = {
    "plain": {},
    "gqa-tied": dict(num_key_value_heads=2, tie_word_embeddings=True),
    "mqa": dict(num_key_value_heads=1),
    "biases": dict(attention_bias=True, mlp_bias=True),
    "rope-parameters": dict(rope_parameters={"rope_type": "default", "rope_theta": 100000.0}),
    "rope-linear": dict(rope_parameters={"rope_type": "linear", "rope_theta": 10000.0, "factor": 4.0}),
    "rope-llama3": dict(rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                                         "high_freq_factor": 4.0, "original_max_position_embeddings": 16}),
    "gelu": dict(hidden_act="gelu_pytorch_tanh"),
    "head-dim": dict(head_dim=16, num_key_value_heads=2),
    "bf16": dict(_dtype="bfloat16"),
    "f16": dict(_dtype="float16"),
    "sharded": dict(_shard="40KB"),
}


def variants(args):
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

    ids = [[1, 5, 17, 33, 2, 60, 61, 62, 9, 90, 3, 44, 45, 46, 47, 12]]
    generator = torch.Generator().manual_seed(7)
    index = {}
    for name, change in VARIANTS.items():
        settings = dict(BASE)
        settings.update({k: v for k, v in change.items() if not k.startswith("_")})
        torch.manual_seed(len(name))
        model = LlamaForCausalLM(LlamaConfig(**settings)).eval()
        with torch.no_grad():
            for p in model.parameters():
                # Non-trivial values everywhere (biases and norms start at 0 and 1).
                p.copy_(torch.randn(p.shape, generator=generator) * 0.2 + (1.0 if p.dim() == 1 and p.shape[0] == settings["hidden_size"] else 0.0))
        dtype = getattr(torch, change.get("_dtype", "float32"))
        folder = os.path.join(args.out, name)
        model.to(dtype).save_pretrained(folder, max_shard_size=change.get("_shard", "50GB"))
        reloaded = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
        with torch.no_grad():
            logits = reloaded(input_ids=torch.tensor(ids)).logits[0].float().contiguous()
        save_file({"logits": logits}, os.path.join(folder, "reference-logits.safetensors"))
        index[name] = {"ids": ids[0]}
    json.dump(index, open(os.path.join(args.out, "variants.json"), "w"), indent=1)


def main():
    parser = argparse.ArgumentParser(description="transformers/peft reference for the Java model tests")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--model", required=True)
    g.add_argument("--adapter")
    g.add_argument("--requests", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--new-tokens", type=int, default=32)
    r = sub.add_parser("render")
    r.add_argument("--model", required=True)
    r.add_argument("--template")
    r.add_argument("--requests", required=True)
    r.add_argument("--out", required=True)
    v = sub.add_parser("variants")
    v.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    {"generate": generate, "render": render, "variants": variants}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
