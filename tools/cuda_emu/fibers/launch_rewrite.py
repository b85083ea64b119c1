# For the CPU emulation (README.md): rewrites kernel<<<cfg>>>(args); into
# emu::launch(cfg, [&]() { kernel(args); }); and a dynamic extern __shared__ array into a pointer to the
# launch's shared buffer.
import re, sys
src = open(sys.argv[1]).read()
out = []
i = 0
while True:
    j = src.find('<<<', i)
    if j < 0:
        out.append(src[i:]); break
    # kernel name: back from j over identifier chars and a balanced <...>
    k = j
    if src[k-1] == '>':
        depth = 0
        while True:
            k -= 1
            if src[k] == '>': depth += 1
            elif src[k] == '<':
                depth -= 1
                if depth == 0: break
    while k > 0 and (src[k-1].isalnum() or src[k-1] in '_:'):
        k -= 1
    name = src[k:j]
    e = src.find('>>>', j)
    cfg = src[j+3:e]
    p = e + 3
    assert src[p] == '(', src[p-20:p+20]
    depth = 0; q = p
    while True:
        if src[q] == '(': depth += 1
        elif src[q] == ')':
            depth -= 1
            if depth == 0: break
        q += 1
    args = src[p+1:q]
    assert src[q+1] == ';'
    out.append(src[i:k])
    out.append('emu::launch(%s, [&]() { %s(%s); });' % (cfg, name, args))
    i = q + 2
res = ''.join(out)
res = re.sub(r'extern __shared__ __align__\(\d+\) unsigned char (\w+)\[\];', r'unsigned char* \1 = emu::dynamic_smem();', res)
open(sys.argv[2], 'w').write(res)
