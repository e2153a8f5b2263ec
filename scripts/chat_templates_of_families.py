"""The chat templates the model families ship, for scripts/make-tokenizer-fixtures.py.

No model hub is reachable from the machines that build the fixtures, so each text was
read from a public repository that quotes the published template (named beside it).
Jinja string escapes (\\n) are kept as in the published tokenizer_config.json after
JSON decoding, i.e. as the template text transformers compiles.
"""

# Llama 2 chat (meta-llama/Llama-2-7b-chat-hf tokenizer_config.json). Read from
# github.com/oxide-lab/Oxide-Lab src-tauri/src/core/templates/llama.rs (commit 529f52c3),
# which pastes the JSON-escaped value; JSON-decoded here.
LLAMA2 = (
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}"
    "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
    "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
    "{% else %}{% set content = message['content'] %}{% endif %}"
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"
)

# Mistral 7B Instruct (v0.1/v0.2, before the v1 template with a system prompt). Read from
# github.com/ggml-org/llama.cpp tests/test-chat-template.cpp (commit 03f94f19).
MISTRAL = (
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
    "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"
)

# Gemma 2 (google/gemma-2-2b-it). Read from github.com/oxide-lab/Oxide-Lab
# src-tauri/src/core/templates/gemma2.rs (commit 529f52c3).
GEMMA2 = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
    "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}"
)

# SmolLM2 Instruct (HuggingFaceTB/SmolLM2-135M-Instruct): ChatML with a default system prompt.
# Its shape (loop.first and messages[0]['role'] != 'system' -> default system turn) is quoted by
# many repositories for the Qwen1.5 variant of the same template (e.g. github.com/huggingface/smol-course
# 1_instruction_tuning/chat_templates.md shows SmolLM2's, simplified); the system text is SmolLM2's.
SMOLLM2 = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# Qwen2.5 Instruct (Qwen/Qwen2.5-7B-Instruct). Read from github.com/oxide-lab/Oxide-Lab
# src-tauri/src/core/templates/qwen2.rs (commit 529f52c3).
QWEN25 = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

# Llama 3.1 Instruct (meta-llama/Llama-3.1-8B-Instruct). Read from github.com/oxide-lab/Oxide-Lab
# src-tauri/src/core/templates/llama3.rs (commit 529f52c3).
LLAMA31 = """{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- set date_string = "26 Jul 2024" %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message + builtin tools #}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if builtin_tools is defined or tools is not none %}
    {{- "Environment: ipython\\n" }}
{%- endif %}
{%- if builtin_tools is defined %}
    {{- "Tools: " + builtin_tools | reject('equalto', 'code_interpreter') | join(", ") + "\\n\\n"}}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}

{#- Custom tools are passed in a user message with some extra guidance #}
{%- if tools_in_user_message and not tools is none %}
    {#- Extract the first user message so we can plug it in here #}
    {%- if messages | length != 0 %}
        {%- set first_user_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
{%- endif %}
    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
    {{- "Given the following functions, please respond with a JSON for a function call " }}
    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
    {{- first_user_message + "<|eot_id|>"}}
{%- endif %}

{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {%- if builtin_tools is defined and tool_call.name in builtin_tools %}
            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
            {{- "<|python_tag|>" + tool_call.name + ".call(" }}
            {%- for arg_name, arg_val in tool_call.arguments | items %}
                {{- arg_name + '="' + arg_val + '"' }}
                {%- if not loop.last %}
                    {{- ", " }}
                {%- endif %}
                {%- endfor %}
            {{- ")" }}
        {%- else  %}
            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
            {{- '{"name": "' + tool_call.name + '", ' }}
            {{- '"parameters": ' }}
            {{- tool_call.arguments | tojson }}
            {{- "}" }}
        {%- endif %}
        {%- if builtin_tools is defined %}
            {#- This means we're in ipython mode #}
            {{- "<|eom_id|>" }}
        {%- else %}
            {{- "<|eot_id|>" }}
        {%- endif %}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
"""

# family directory -> (template, written as chat_template.jinja (True) or inside tokenizer_config.json (False))
TEMPLATES = {
    "llama3": (LLAMA31, True),
    "qwen2": (QWEN25, True),
    "smollm": (SMOLLM2, False),
    "llama2": (LLAMA2, False),
    "mistral": (MISTRAL, True),
    "gemma": (GEMMA2, False),
}

CONVERSATIONS = [
    [{"role": "system", "content": "You are terse."},
     {"role": "user", "content": "Hi!"},
     {"role": "assistant", "content": "Hello. "},
     {"role": "user", "content": "  What is 2+2?\n"},
     {"role": "assistant", "content": "4"}],
    [{"role": "user", "content": "Écris un haïku sur la mer 🌊"}],
    [{"role": "user", "content": "first"},
     {"role": "assistant", "content": "  second  "},
     {"role": "user", "content": "third"}],
    [{"role": "user", "content": "code:\n```py\nprint('x')\n```"},
     {"role": "assistant", "content": "It prints x.\n"}],
    [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}],
]

# Small templates exercising one Jinja feature each (written for these fixtures), rendered by
# transformers with FEATURE_MESSAGES to check the interpreter feature by feature.
FEATURE_MESSAGES = [
    {"role": "system", "content": "  Be brief.  "},
    {"role": "user", "content": "Hello, World"},
    {"role": "assistant", "content": "Hi: a, b, c"},
]
FEATURES = {
    "loop_variables": "{% for m in messages %}{{ loop.index0 }}/{{ loop.index }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ loop.revindex }};{% endfor %}",
    "namespace": "{% set ns = namespace(n=0, seen=false) %}{% for m in messages %}{% if m.role != 'system' %}{% set ns.n = ns.n + 1 %}{% set ns.seen = true %}{% endif %}{% set local = 1 %}{% endfor %}{{ ns.n }} {{ ns.seen }} {{ local is defined }}",
    "slicing": "{{ messages[1:]|length }} {{ messages[-1].role }} {{ messages[0].content[2:6] }} {{ messages[1].content[:-1] }} {{ messages[1].content[::-1] }} {{ messages[:-1]|map(attribute='role')|join(',') }}",
    "string_methods": "[{{ messages[0].content.strip() }}][{{ messages[0].content.lstrip() }}][{{ messages[0].content.rstrip() }}]{{ messages[1].content.startswith('Hell') }}{{ messages[1].content.endswith('x') }}{{ messages[2].content.split(': ')[1].split(', ') }}{{ messages[1].content.replace('l', 'L') }}{{ messages[1].content.upper() }}{{ messages[1].content.lower() }}",
    "filters": "{{ messages[0].content|trim }}|{{ messages|length }}|{{ messages[1].content|upper }}|{{ messages[1].content|lower }}|{{ undefined_name|default('dflt') }}|{{ ''|default('empty', true) }}|{{ ['a', 'b']|join('-') }}|{{ messages[1]|tojson }}|{{ {'k': [1, 2, none, true], 'é': 'ü\"\\n'}|tojson }}|{{ {'a': {'b': [1]}}|tojson(indent=2) }}|{{ messages|first|tojson }}|{{ messages|selectattr('role', 'equalto', 'user')|list|length }}",
    "membership_and_tests": "{{ 'user' in messages[1].role }} {{ 'x' not in 'abc' }} {{ 'role' in messages[0] }} {{ 2 in [1, 2] }} {{ undefined_name is defined }} {{ none is none }} {{ messages[0].content is string }} {{ messages is string }} {{ messages[0] is mapping }} {{ 3 is odd }} {{ tools is none }} {{ not messages[0].missing }}",
    "concat_and_arithmetic": "{{ 'a' ~ 1 ~ none ~ true }} {{ 1 + 2 * 3 - 4 // 3 }} {{ 7 % 3 }} {{ -2 + 5 }} {{ 'ab' + 'cd' }} {{ (1 + 2) * 2 }} {{ 'x' if messages else 'y' }} {{ 'x' if not messages else 'y' }} {{ [1] + [2] }}",
    "branches": "{% for m in messages %}{% if m.role == 'system' %}S{% elif m.role == 'user' %}U{% else %}A{% endif %}{% endfor %}{% for x in [] %}never{% else %}empty{% endfor %}{% for m in messages if m.role != 'system' %}{{ m.role[0] }}{% endfor %}{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }}{% endfor %}",
    "whitespace_control": "<a>\n  {% if true %}\n    x\n  {% endif %}\n  {{- ' y ' -}}\n  z\n{# comment #}\nw {%- if true %} v {% endif -%}  \n  end\n",
    "code_points": "{{ 'e\u0301'|length }} {{ 'e\u0301'[1:]|length }} {{ '\U0001F468\u200d\U0001F469'[::-1]|tojson }} {{ '\u00e9' > 'z' }} {{ 'Z' < 'a' }} {% for c in 'a\u0301b' %}[{{ c }}]{% endfor %}",
    "printing": "{{ messages[0] }}|{{ [1, 'two', none, false] }}|{{ none }}|{{ true }}|{{ 3.5 }}|{{ undefined_name }}|{{ \"it's\" }}",
}
