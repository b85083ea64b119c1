import re, sys
src = open(sys.argv[1]).read()
out = []; i = 0
pat = re.compile(r'([A-Za-z_][\w:]*(?:<[^<>;]*>)?)<<<')
while True:
    m = pat.search(src, i)
    if not m: out.append(src[i:]); break
    out.append(src[i:m.start()])
    name = m.group(1)
    j = src.index('>>>', m.end())
    cfg = src[m.end():j]
    # args: from '(' after >>> to matching ')'
    k = j + 3
    assert src[k] == '('
    depth = 0; e = k
    while True:
        if src[e] == '(': depth += 1
        elif src[e] == ')':
            depth -= 1
            if depth == 0: break
        e += 1
    args = src[k+1:e]
    parts = []; depth = 0; cur = ''
    for ch in cfg:
        if ch in '([{': depth += 1
        if ch in ')]}': depth -= 1
        if ch == ',' and depth == 0: parts.append(cur); cur = ''
        else: cur += ch
    parts.append(cur)
    out.append('emu_launch(dim3(%s), dim3(%s), [&] { %s(%s); })' % (parts[0], parts[1], name, args))
    i = e + 1
open(sys.argv[2], 'w').write(''.join(out))
