/* layoutsim.c — test-only PDF-table page simulator: draws cell texts from a pool of government
 * phrases, wraps them to column widths, places lines at y positions and groups them like the extractor. */
#include "layoutsim.h"

#include "shiryo/buf.h"
#include "shiryo/era.h"
#include "shiryo/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deterministic PRNG (splitmix64); state lives in the caller ---- */

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rng_int(rng *r, int lo, int hi) /* inclusive */
{
    if (hi <= lo)
        return lo;
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) / 9007199254740992.0; }

static int rng_chance(rng *r, double p) { return rng_unit(r) < p; }

#define PICK(r, arr) (arr[rng_int((r), 0, (int)(sizeof(arr) / sizeof(arr[0])) - 1)])

/* ---- phrase pools ---- */

static const char *const CONTEXTS[] = {
    "官民が協調して資金拠出し、",
    "臨床研究中核病院においては、",
    "研究開発拠点と連携することで、",
    "関係府省が連携し、",
    "都道府県及び市町村と協力して、",
    "国立研究開発法人日本医療研究開発機構(AMED)を通じて、",
    "医薬品医療機器総合機構(PMDA)と連携し、",
    "大学等の研究機関においては、",
    "地方公共団体の取組を支援するため、",
    "GIGAスクール構想の推進にあわせて、",
    "DX推進の観点から、",
    "カーボンニュートラルの実現に向けて、",
    "災害時の医療提供体制を確保するため、",
    "中小企業の生産性向上を図るため、",
    "農林水産物・食品の輸出拡大に向けて、",
    "若手研究者の育成を図るため、",
    "国際共同治験を円滑に実施するため、",
    "デジタル人材の確保に向けて、",
    "医療機器スタートアップを支援するため、",
    "症例が集積され、臨床研究・治験が効率的に行われるよう、",
    "これまでの取組の成果を踏まえ、",
    "有識者による検討会の議論を踏まえ、",
    "新型コロナウイルス感染症への対応の経験を踏まえ、",
    "地域の実情に応じて、",
    "ARO に必要な人材を確保するため、",
    "成長戦略実行計画(令和3年6月18日閣議決定)を踏まえ、",
    "医療法に基づく臨床研究中核病院を中心に、",
};

static const char *const OBJECTS[] = {
    "有望なシーズを有する若手研究者向けの教育プログラムやメンタリング等の支援",
    "医療機器の研究開発の支援体制の整備",
    "臨床研究・治験の実施体制の強化",
    "企業と医療機関とのマッチング機会の提供",
    "伴走コンサル等による企業・大学等に対するワンストップ支援",
    "認定臨床研究審査委員会(以下「CRB」という。)の質の向上",
    "ARO機能を持つ医療機関と産業界の連携",
    "海外ネットワークの構築及び臨床上の有用性を実証する場の整備",
    "事業化人材及び専門分野支援人材の育成",
    "ベンチャー企業に対する研究開発の支援や共同研究",
    "地域における医療機器開発エコシステムの形成",
    "デジタル技術を活用した行政手続の効率化",
    "再生可能エネルギーの導入拡大と系統整備",
    "学校におけるICT環境の整備と教員の指導力の向上",
    "避難所の生活環境の改善と要配慮者への支援",
    "輸出に取り組む事業者への伴走支援",
    "サイバーセキュリティ対策の強化",
    "データ連携基盤の整備とオープンデータの推進",
    "MedTech分野における国際展開",
    "AI・IoT等の先端技術の社会実装",
    "既存企業とベンチャー企業が連携を行う場の構築",
    "臨床研究従事者の育成と多施設共同研究の推進",
    "医療DXの推進に向けた電子カルテ情報の標準化",
    "ソフト面(現地での教育・研修)とハード面(設備整備)の両面からの支援",
    "中小企業のシーズと医療機関の臨床ニーズとのマッチング",
    "J-Startup等を通じた有望なスタートアップの集中支援",
    "プロトタイプ作製や薬事申請に関する相談対応",
    "農地の集積・集約化と担い手の確保",
    "防災・減災、国土強靱化に向けたインフラの老朽化対策",
    "医療機器創出人材の育成・リスキリングの機会の提供",
    "Society 5.0の実現に向けた研究開発",
    "IoT センサを活用した見守り体制の構築",
    "各CRBによる審査をCRB同士が相互に評価する取組",
    "臨床現場のニーズに応じた優れた医療機器の創出",
    "アジア地域における臨床研究・治験ネットワークの構築",
    "日本企業のものづくり技術を活かした製品開発",
};

static const char *const PLAN_VERBS[] = {
    "に取り組む。", "に引き続き取り組む。", "を推進する。", "を図る。",
    "を促進する。", "を支援する。", "の充実を図る。", "に向けた検討を進める。",
};
static const char *const PAST_VERBS[] = {
    "を実施した。", "に取り組んだ。", "を支援した。", "を推進した。",
    "を行った。", "を実施している。", "に取り組んでいる。", "の検討を行った。",
};
static const char *const FUTURE_VERBS[] = {
    "を推進する。", "に取り組む。", "を引き続き行う。", "を図る予定。",
    "を強化する。", "を実施する。", "の確立に取り組む。", "を継続し、更なる強化を図る。",
};
static const char *const CONNECTORS[] = {
    "また、", "あわせて、", "さらに、", "加えて、", "このため、", "今後、", "具体的には、", "なお、",
};

static const char *const PROGRAMS[] = {
    "「医工連携イノベーション推進事業」",
    "「次世代ヘルステック・スタートアップ育成支援事業」",
    "「官民による若手研究者発掘支援事業」",
    "「地域連携拠点」",
    "「MEDIC」",
    "「MedTech ROUND ~MedTech Startups acceleration program~」",
    "「優れた医療機器の創出に係る産業振興拠点強化事業」",
    "「臨床研究総合促進事業」",
    "「医療技術実用化総合促進事業」",
    "「J-Startup」",
    "「AI・IoT導入促進事業」",
    "「ものづくり補助金」",
    "「地域DX推進ラボ」",
    "「グリーンイノベーション基金事業」",
    "「SBIR制度」",
    "「Society 5.0実現化研究拠点支援事業」",
    "「ムーンショット型研究開発制度」",
    "「医療機器開発支援ネットワーク」",
    "「臨床研究・治験推進研究事業」",
    "「GIGAスクール構想」",
};

static const char *const TAGS[] = {
    "[◎厚]", "[◎経]", "[文、◎厚]", "[文、◎厚、◎経]", "[◎厚、◎経]", "[◎文]", "[◎内、総]", "[◎国、環]", "[◎農]",
};

static const char *const SHORT_ITEMS[] = {
    "研究開発の推進", "人材の育成・確保", "国際展開の推進", "(1)臨床研究の推進", "(2)拠点の整備",
    "1.デジタル化の推進", "相談体制の充実", "情報発信の強化", "規制・制度の見直し", "普及啓発",
    "データの利活用", "スタートアップ支援", "医療DXの推進", "ICT環境の整備", "地域連携の強化",
    "治験ネットワークの構築", "GX・DXへの対応", "産学連携の強化", "基盤整備(AMED)", "PMDAとの連携",
};

static const char *const AMOUNTS[] = {
    "13億円", "6.0億円", "2.9億円", "19億円の内数", "―", "9百万円", "1,200百万円", "28億円",
    "(新規)", "3.8億円(補正)", "14億円の内数", "0.5億円", "未定", "2,450百万円",
};

static const char *const MINISTRIES[] = {
    "厚生労働省", "経済産業省", "文部科学省", "内閣府", "総務省", "国土交通省", "農林水産省",
    "環境省", "デジタル庁", "厚生労働省、経済産業省", "文部科学省、厚生労働省、経済産業省",
};

static const char *const MEASURES[] = {
    "産学連携の強化によるニーズ・シーズマッチング及び事業化の促進",
    "医療機関における医療機器の研究開発の支援体制の拡充と活用の促進",
    "臨床研究・治験ネットワークの構築と活用の促進",
    "既存企業とベンチャー企業の連携を通じた医療機器の研究開発の促進",
    "人材の育成・確保",
    "デジタル化の推進",
    "国際展開の推進",
    "地域における医療提供体制の確保",
    "研究開発の推進と成果の社会実装",
    "GX・DXに対応した産業構造の転換",
    "防災・減災対策の強化",
    "農林水産物・食品の輸出促進",
};

static const char *const SECTIONS[] = {
    "【研究開発拠点、開発支援拠点や企業の連携強化】",
    "【人材育成】",
    "【国際展開】",
    "【医療機器の研究開発の推進】",
    "【デジタル・トランスフォーメーションの推進】",
    "【地域経済の活性化】",
    "【基盤整備】",
};

static const char *const PLAN_LABELS[] = {"該当箇所", "基本計画の記載", "施策の内容", "計画本文"};
static const char *const SHORT_LABELS[] = {"項目", "施策名", "事業名", "区分", "取組事項"};
static const char *const RESULT_SUFFIX[] = {"の実績・状況", "実績", "の取組状況", "の主な実績"};
static const char *const FUTURE_SUFFIX[] = {"の取組予定", "の計画", "以降の方針", "の取組方針"};
static const char *const PROSE_LABELS[] = {"概要", "取組内容", "備考", "主な取組"};

/* ---- fiscal-year text in the many ways tables write it ---- */

static const char *const FW_DIGITS[] = {"０", "１", "２", "３", "４", "５", "６", "７", "８", "９"};
static const char *const KANJI_DIGITS[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* ---- generation context: PRNG plus a sticky allocation-failure flag ---- */

typedef struct gen {
    rng r;
    int failed;     /* set once any allocation failed; every later step is skipped */
} gen;

static void put(gen *g, sh_buf *b, const char *s)
{
    if (!g->failed && sh_buf_puts(b, s))
        g->failed = 1;
}

static void putf_int(gen *g, sh_buf *b, const char *fmt, int v)
{
    if (!g->failed && sh_buf_printf(b, fmt, v))
        g->failed = 1;
}

static void put_number(gen *g, sh_buf *b, int n, int style) /* style 0 ASCII, 1 full-width, 2 kanji */
{
    char digits[16];
    int len = 0;
    if (style == 2) {
        if (n >= 10) {
            if (n / 10 > 1)
                put(g, b, KANJI_DIGITS[n / 10]);
            put(g, b, "十");
            if (n % 10)
                put(g, b, KANJI_DIGITS[n % 10]);
        } else {
            put(g, b, KANJI_DIGITS[n]);
        }
        return;
    }
    do {
        digits[len++] = (char)(n % 10);
        n /= 10;
    } while (n > 0 && len < 15);
    while (len > 0) {
        int d = digits[--len];
        if (style == 1) {
            put(g, b, FW_DIGITS[d]);
        } else {
            char ascii[2] = {(char)('0' + d), 0};
            put(g, b, ascii);
        }
    }
}

/* Writes a fiscal year as a label would: 令和6年度, 令和６年度, 令和六年度, R6年度, 2024年度. */
static void put_fiscal_year(gen *g, sh_buf *b, int year, int style)
{
    int reiwa = year >= 2019;
    int n = reiwa ? year - 2018 : year - 1988;
    switch (style) {
    case 1: /* full-width digits */
    case 2: /* kanji */
        put(g, b, reiwa ? "令和" : "平成");
        if (n == 1)
            put(g, b, "元");
        else
            put_number(g, b, n, style);
        put(g, b, "年度");
        break;
    case 3:
        put(g, b, reiwa ? "R" : "H");
        put_number(g, b, n, 0);
        put(g, b, "年度");
        break;
    case 4:
        put_number(g, b, year, 0);
        put(g, b, "年度");
        break;
    default: {
        char text[32];
        if (era_format_fiscal_year(year, text, sizeof text) > 0)
            put(g, b, text);
    }
    }
}

static void put_budget(gen *g, sh_buf *b, int year, int planned)
{
    int fullwidth = rng_chance(&g->r, 0.25);
    put(g, b, fullwidth ? "（" : "(");
    if (rng_chance(&g->r, 0.85))
        put_fiscal_year(g, b, year, rng_chance(&g->r, 0.8) ? 0 : 3);
    else
        put(g, b, "いずれも医工連携イノベーション推進事業として");
    put(g, b, planned ? "予算案" : rng_chance(&g->r, 0.2) ? "補正予算" : "予算");
    put(g, b, fullwidth ? "：" : ":");
    int kind = rng_int(&g->r, 0, 2);
    if (kind == 0) {
        putf_int(g, b, "%d億円", rng_int(&g->r, 1, 60));
    } else if (kind == 1) {
        putf_int(g, b, "%d.", rng_int(&g->r, 0, 9));
        putf_int(g, b, "%d億円", rng_int(&g->r, 0, 9));
    } else {
        putf_int(g, b, "%d百万円", rng_int(&g->r, 2, 900));
    }
    if (rng_chance(&g->r, 0.3))
        put(g, b, "の内数");
    put(g, b, fullwidth ? "）" : ")");
}

enum role { ROLE_PLAN, ROLE_SHORT, ROLE_RESULT, ROLE_FUTURE, ROLE_PROSE, ROLE_AMOUNT, ROLE_MINISTRY };

static void put_sentence(gen *g, sh_buf *b, int role, int year)
{
    rng *r = &g->r;
    switch (role) {
    case ROLE_PLAN:
        if (rng_chance(r, 0.7))
            put(g, b, PICK(r, CONTEXTS));
        put(g, b, PICK(r, OBJECTS));
        put(g, b, PICK(r, PLAN_VERBS));
        break;
    case ROLE_RESULT:
        if (rng_chance(r, 0.6)) {
            put(g, b, PICK(r, PROGRAMS));
            put_budget(g, b, year, 0);
            put(g, b, rng_chance(r, 0.5) ? "において、" : "を通じて、");
        } else if (rng_chance(r, 0.4)) {
            put(g, b, PICK(r, CONTEXTS));
        }
        put(g, b, PICK(r, OBJECTS));
        put(g, b, PICK(r, PAST_VERBS));
        break;
    case ROLE_FUTURE:
        if (rng_chance(r, 0.4))
            put(g, b, "引き続き、");
        if (rng_chance(r, 0.5)) {
            put(g, b, PICK(r, PROGRAMS));
            put_budget(g, b, year, 1);
            put(g, b, "を通じて、");
        }
        put(g, b, PICK(r, OBJECTS));
        put(g, b, PICK(r, FUTURE_VERBS));
        break;
    default:
        if (rng_chance(r, 0.5))
            put(g, b, PICK(r, CONNECTORS));
        if (rng_chance(r, 0.5))
            put(g, b, PICK(r, CONTEXTS));
        put(g, b, PICK(r, OBJECTS));
        put(g, b, rng_chance(r, 0.5) ? PICK(r, PAST_VERBS) : PICK(r, PLAN_VERBS));
        break;
    }
}

/* One paragraph of a cell in the given role. */
static void put_paragraph(gen *g, sh_buf *b, int role, int year, int tag)
{
    rng *r = &g->r;
    switch (role) {
    case ROLE_SHORT:
        put(g, b, PICK(r, SHORT_ITEMS));
        return;
    case ROLE_AMOUNT:
        put(g, b, PICK(r, AMOUNTS));
        return;
    case ROLE_MINISTRY:
        put(g, b, PICK(r, MINISTRIES));
        return;
    case ROLE_RESULT:
    case ROLE_FUTURE:
        if (rng_chance(r, 0.85))
            put(g, b, "・");
        break;
    default:
        break;
    }
    int sentences = rng_chance(r, 0.35) ? 2 : rng_chance(r, 0.1) ? 3 : 1;
    for (int i = 0; i < sentences; i++)
        put_sentence(g, b, role, year);
    if (tag)
        put(g, b, PICK(r, TAGS));
}

/* ---- line wrapping with Japanese line-breaking rules (kinsoku) ---- */

/* Width in quarter-ems: proportional Latin, full-width everything else. */
static int char_quarters(unsigned cp)
{
    if (cp < 0x80) {
        if (cp == ' ' || strchr("il.,:;!|'`()[]", (int)cp))
            return 1;
        if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W')
            return 4;
        if (cp >= 'A' && cp <= 'Z')
            return 3;
        return 2;
    }
    if (cp >= 0xFF61 && cp <= 0xFF9F)
        return 2;
    return 4;
}

static int is_word_char(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '-' || cp == '.' || cp == '_' || cp == '~';
}

static int start_forbidden(unsigned cp)
{
    static const unsigned list[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, ')', 0xFF09, 0x300D, 0x300F, 0x3011, 0x3015, 0x30FC,
        0x30FB, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x30A1,
        0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x3005, ']', ':', 0xFF1A,
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (cp == list[i])
            return 1;
    return 0;
}

static int end_forbidden(unsigned cp)
{
    return cp == '(' || cp == 0xFF08 || cp == 0x300C || cp == 0x300E || cp == 0x3010 ||
           cp == 0x3014 || cp == '[';
}

typedef struct span {
    size_t off, len;
} span;

typedef struct cp_info {
    unsigned cp;
    size_t off;
    int width;
} cp_info;

/* Wraps s[0..len) at width_q quarter-ems; appends line spans (offsets into s) to *lines. */
static int wrap_text(const char *s, size_t len, int width_q, span **lines, size_t *nlines,
                     size_t *cap)
{
    size_t count = 0;
    cp_info *cps = malloc((len + 1) * sizeof *cps);
    if (!cps)
        return -1;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = sh_utf8_next(s, len, i, &cp);
        cps[count].cp = cp;
        cps[count].off = i;
        cps[count].width = char_quarters(cp);
        count++;
        i += n;
    }
    cps[count].off = len;
    size_t i = 0;
    while (i < count) {
        while (i < count && cps[i].cp == ' ')
            i++;
        if (i >= count)
            break;
        size_t j = i;
        int w = 0;
        while (j < count && w + cps[j].width <= width_q) {
            w += cps[j].width;
            j++;
        }
        size_t brk = j;
        if (j < count) {
            if (j == i)
                brk = i + 1;
            if (cps[brk].cp == 0x3001 || cps[brk].cp == 0x3002)
                brk++; /* hanging punctuation */
            /* Latin words are not split unless longer than the line; no line starts with a
             * closing character or ends with an opening one: adjust until all rules hold */
            for (int round = 0; round < 4 && brk < count; round++) {
                size_t before = brk;
                if (is_word_char(cps[brk].cp) && brk > i && is_word_char(cps[brk - 1].cp)) {
                    size_t k = brk;
                    while (k > i && is_word_char(cps[k - 1].cp))
                        k--;
                    if (k > i)
                        brk = k;
                }
                while (brk > i + 1 && start_forbidden(cps[brk].cp))
                    brk--;
                while (brk > i + 1 && end_forbidden(cps[brk - 1].cp))
                    brk--;
                if (brk == before)
                    break;
            }
        }
        size_t end = brk;
        while (end > i && cps[end - 1].cp == ' ')
            end--;
        if (end > i) {
            span *grown = sh_array_grow(*lines, cap, *nlines + 1, sizeof *grown);
            if (!grown) {
                free(cps);
                return -1;
            }
            *lines = grown;
            (*lines)[(*nlines)++] = (span){cps[i].off, cps[end].off - cps[i].off};
        }
        i = brk;
    }
    free(cps);
    return 0;
}

/* ---- table layout: items placed at y, then grouped into extractor lines ---- */

typedef struct item {
    double y;
    int column;      /* 1-based; 0 for a heading spanning the table */
    int heading;
    unsigned row;
    size_t seq;      /* insertion order, to keep the sort deterministic */
    size_t off, len; /* bytes in the text pool */
} item;

typedef struct layout {
    sh_buf pool;     /* all item texts */
    item *items;
    size_t nitems, cap;
} layout;

static void add_item(gen *g, layout *l, double y, int column, int heading, unsigned row,
                     const char *text, size_t len)
{
    if (g->failed)
        return;
    item *grown = sh_array_grow(l->items, &l->cap, l->nitems + 1, sizeof *grown);
    if (!grown) {
        g->failed = 1;
        return;
    }
    l->items = grown;
    size_t off = l->pool.len;
    if (sh_buf_append(&l->pool, text, len)) {
        g->failed = 1;
        return;
    }
    l->items[l->nitems] = (item){y, column, heading, row, l->nitems, off, len};
    l->nitems++;
}

static int item_cmp(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->y < y->y)
        return -1;
    if (x->y > y->y)
        return 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int add_piece(lsim_page *p, size_t *cap, lsim_piece piece)
{
    lsim_piece *grown = sh_array_grow(p->pieces, cap, p->npieces + 1, sizeof *grown);
    if (!grown)
        return -1;
    p->pieces = grown;
    p->pieces[p->npieces++] = piece;
    return 0;
}

/* Sorts items by y and joins those within half a line of the group's first item with one space,
 * left to right, as the extractor does. Appends to text starting at line number first_lineno. */
static int render_items(layout *l, sh_buf *text, unsigned first_lineno, lsim_page *p)
{
    qsort(l->items, l->nitems, sizeof *l->items, item_cmp);
    size_t piece_cap = p->npieces;
    unsigned lineno = first_lineno;
    for (size_t i = 0; i < l->nitems;) {
        size_t j = i + 1;
        while (j < l->nitems && l->items[j].y - l->items[i].y < 0.42)
            j++;
        /* within one extracted line the extractor reads left to right */
        for (size_t a = i + 1; a < j; a++)
            for (size_t b = a; b > i && l->items[b - 1].column > l->items[b].column; b--) {
                item t = l->items[b];
                l->items[b] = l->items[b - 1];
                l->items[b - 1] = t;
            }
        size_t line_start = text->len;
        for (size_t k = i; k < j; k++) {
            const item *it = &l->items[k];
            if (k > i && sh_buf_putc(text, ' '))
                return -1;
            lsim_piece piece = {lineno, text->len - line_start, it->len, it->column, it->heading,
                                it->row};
            if (add_piece(p, &piece_cap, piece) ||
                sh_buf_append(text, l->pool.data + it->off, it->len))
                return -1;
        }
        if (sh_buf_putc(text, '\n'))
            return -1;
        lineno++;
        i = j;
    }
    return 0;
}

typedef struct table_style {
    int ncols;
    int role[LSIM_MAX_COLS];
    int width_q[LSIM_MAX_COLS];   /* column width in quarter-ems */
    double pitch[LSIM_MAX_COLS];  /* line pitch of each column, in nominal lines */
    double para_gap;              /* extra space between paragraphs, in pitches */
    double offset_chance;         /* chance that a cell starts below the row top */
    int tags;                     /* column 1 cells end with a ministry tag [◎厚] */
    int year[LSIM_MAX_COLS];      /* fiscal year used inside each column's text */
} table_style;

/* Lays out one row at *y; returns through *y the top of what follows. */
static void layout_row(gen *g, layout *l, const table_style *st, double *y, unsigned row)
{
    rng *r = &g->r;
    double bottom = *y + 1.0;
    sh_buf para = SH_BUF_INIT;
    span *lines = NULL;
    size_t nlines = 0, lines_cap = 0;
    for (int c = 0; c < st->ncols && !g->failed; c++) {
        int role = st->role[c];
        int paragraphs = 1;
        if (role == ROLE_RESULT || role == ROLE_FUTURE)
            paragraphs = rng_int(r, 1, 3);
        else if (role == ROLE_PROSE || (role == ROLE_PLAN && rng_chance(r, 0.2)))
            paragraphs = rng_int(r, 1, 2);
        if (c > 0 && rng_chance(r, 0.05))
            paragraphs = 0; /* empty cell */
        double cy = *y;
        if (rng_chance(r, st->offset_chance))
            cy += st->pitch[c] * (0.3 + 2.2 * rng_unit(r));
        for (int k = 0; k < paragraphs && !g->failed; k++) {
            sh_buf_clear(&para);
            put_paragraph(g, &para, role, st->year[c], st->tags && c == 0 && k == paragraphs - 1);
            if (g->failed || !para.data)
                break;
            nlines = 0;
            if (wrap_text(para.data, para.len, st->width_q[c], &lines, &nlines, &lines_cap)) {
                g->failed = 1;
                break;
            }
            for (size_t i = 0; i < nlines; i++) {
                add_item(g, l, cy, c + 1, LSIM_CELL, row, para.data + lines[i].off, lines[i].len);
                cy += st->pitch[c];
            }
            if (cy > bottom)
                bottom = cy;
            cy += st->para_gap * st->pitch[c];
        }
    }
    sh_buf_free(&para);
    free(lines);
    *y = bottom + 0.25 + 0.4 * rng_unit(r);
}

static void layout_heading(gen *g, layout *l, double *y, int kind, const char *text)
{
    add_item(g, l, *y, 0, kind, 0, text, strlen(text));
    *y += 1.0 + 0.25 + 0.3 * rng_unit(&g->r);
}

/* ---- the table header block ---- */

static void put_label(gen *g, sh_buf *b, const table_style *st, int c, int *fiscal_year)
{
    rng *r = &g->r;
    int year_style = rng_int(r, 0, 5);
    *fiscal_year = 0;
    switch (st->role[c]) {
    case ROLE_PLAN:
        put(g, b, PICK(r, PLAN_LABELS));
        break;
    case ROLE_SHORT:
        put(g, b, PICK(r, SHORT_LABELS));
        break;
    case ROLE_RESULT:
        put_fiscal_year(g, b, st->year[c], year_style);
        put(g, b, PICK(r, RESULT_SUFFIX));
        *fiscal_year = st->year[c];
        break;
    case ROLE_FUTURE:
        put_fiscal_year(g, b, st->year[c], year_style);
        put(g, b, PICK(r, FUTURE_SUFFIX));
        *fiscal_year = st->year[c];
        break;
    case ROLE_AMOUNT:
        put_fiscal_year(g, b, st->year[c], year_style);
        put(g, b, "予算額");
        *fiscal_year = st->year[c];
        break;
    case ROLE_MINISTRY:
        put(g, b, rng_chance(r, 0.5) ? "担当府省" : "所管");
        break;
    default:
        put(g, b, PICK(r, PROSE_LABELS));
        break;
    }
}

static int render_header(gen *g, lsim_page *p, sh_buf *text, unsigned *lines_out)
{
    int n = p->ncols;
    unsigned lines = 0;
    /* styles: 0 "L1 列1 … 列n-1" / "列n" / L2 … (the sample), 1 "L1 L2 … Ln",
     * 2 "列1 … 列n" / "L1 … Ln", 3 "列1 … 列n" / one label per line */
    int style = rng_int(&g->r, 0, 3);
    if (n == 1 && style == 1)
        style = 2;
    char num[16];
    if (style == 0) {
        put(g, text, p->labels[0]);
        for (int c = 1; c < n; c++) {
            put(g, text, " 列");
            snprintf(num, sizeof num, "%d", c);
            put(g, text, num);
        }
        put(g, text, "\n");
        lines++;
        snprintf(num, sizeof num, "列%d\n", n);
        put(g, text, num);
        lines++;
        for (int c = 1; c < n; c++) {
            put(g, text, p->labels[c]);
            put(g, text, "\n");
            lines++;
        }
    } else {
        if (style >= 2) {
            for (int c = 0; c < n; c++) {
                snprintf(num, sizeof num, c ? " 列%d" : "列%d", c + 1);
                put(g, text, num);
            }
            put(g, text, "\n");
            lines++;
        }
        for (int c = 0; c < n; c++) {
            if (c > 0)
                put(g, text, style == 3 ? "\n" : " ");
            if (style == 3 && c > 0)
                lines++;
            put(g, text, p->labels[c]);
        }
        put(g, text, "\n");
        lines++;
    }
    *lines_out = lines;
    return g->failed ? -1 : 0;
}

/* ---- public entry points ---- */

void lsim_free(lsim_page *p)
{
    if (!p)
        return;
    free(p->text);
    for (int c = 0; c < LSIM_MAX_COLS; c++)
        free(p->labels[c]);
    free(p->pieces);
    free(p);
}

static void choose_style(gen *g, table_style *st, int ncols)
{
    rng *r = &g->r;
    st->ncols = ncols;
    int base_year = rng_int(r, 2016, 2027);
    int first = rng_int(r, 0, 9);
    st->role[0] = ncols == 1 ? (rng_chance(r, 0.5) ? ROLE_RESULT : ROLE_PLAN)
                  : first < 5 ? ROLE_PLAN
                  : first < 8 ? ROLE_SHORT
                              : ROLE_PROSE;
    for (int c = 1; c < ncols; c++) {
        int k = rng_int(r, 0, 9);
        st->role[c] = k < 4 ? ROLE_RESULT : k < 7 ? ROLE_FUTURE : k < 8 ? ROLE_PROSE
                      : k < 9 ? ROLE_AMOUNT : ROLE_MINISTRY;
    }
    /* tables usually read past results then plans, left to right */
    if (ncols >= 3 && st->role[1] == ROLE_FUTURE && st->role[2] == ROLE_RESULT) {
        st->role[1] = ROLE_RESULT;
        st->role[2] = ROLE_FUTURE;
    }
    int page_chars = rng_int(r, 40, 170); /* the table's width, in characters */
    for (int c = 0; c < ncols; c++) {
        int role = st->role[c];
        int chars;
        if (role == ROLE_AMOUNT || role == ROLE_MINISTRY || role == ROLE_SHORT)
            chars = rng_int(r, 8, 16);
        else
            chars = rng_int(r, 18, 30) + rng_int(r, 0, page_chars / (ncols > 1 ? ncols : 1));
        if (chars > 70)
            chars = 70;
        st->width_q[c] = chars * 4;
        st->year[c] = role == ROLE_FUTURE ? base_year + 1 : base_year;
    }
    int same_pitch = rng_chance(r, 0.4);
    for (int c = 0; c < ncols; c++)
        st->pitch[c] = same_pitch ? 1.0 : 0.85 + 0.4 * rng_unit(r);
    double gaps[] = {0.0, 0.0, 0.25, 0.5, 1.0};
    st->para_gap = gaps[rng_int(r, 0, 4)];
    st->offset_chance = rng_chance(r, 0.5) ? 0.0 : 0.1 + 0.2 * rng_unit(r);
    st->tags = st->role[0] == ROLE_PLAN && ncols > 1 && rng_chance(r, 0.6);
}

int lsim_generate(uint64_t seed, const lsim_options *opt, lsim_page **out)
{
    lsim_options o = {1, LSIM_MAX_COLS, 20, 120};
    if (opt) {
        if (opt->min_cols > 0)
            o.min_cols = opt->min_cols;
        if (opt->max_cols > 0)
            o.max_cols = opt->max_cols;
        if (opt->min_body_lines > 0)
            o.min_body_lines = opt->min_body_lines;
        if (opt->max_body_lines > 0)
            o.max_body_lines = opt->max_body_lines;
    }
    if (o.max_cols > LSIM_MAX_COLS)
        o.max_cols = LSIM_MAX_COLS;
    if (o.min_cols > o.max_cols)
        o.min_cols = o.max_cols;
    gen g = {{seed * 0x2545F4914F6CDD1Dull + 1}, 0};
    lsim_page *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    table_style st;
    memset(&st, 0, sizeof st);
    choose_style(&g, &st, rng_int(&g.r, o.min_cols, o.max_cols));
    p->ncols = st.ncols;
    for (int c = 0; c < p->ncols; c++) {
        sh_buf label = SH_BUF_INIT;
        put_label(&g, &label, &st, c, &p->fiscal_year[c]);
        if (g.failed || sh_buf_detach(&label, &p->labels[c], NULL)) {
            sh_buf_free(&label);
            lsim_free(p);
            return -1;
        }
    }
    sh_buf text = SH_BUF_INIT;
    layout l = {SH_BUF_INIT, NULL, 0, 0};
    if (render_header(&g, p, &text, &p->header_lines))
        goto fail;
    int target = rng_int(&g.r, o.min_body_lines, o.max_body_lines);
    double y = 0;
    if (rng_chance(&g.r, 0.6))
        layout_heading(&g, &l, &y, LSIM_SECTION, PICK(&g.r, SECTIONS));
    unsigned row = 0; /* rows count within a measure: a heading restarts them */
    while (y < target * 0.75 && !g.failed) {
        if (y > 0 && rng_chance(&g.r, 0.1)) {
            layout_heading(&g, &l, &y, LSIM_SECTION, PICK(&g.r, SECTIONS));
            row = 0;
        }
        if (p->ncols > 1 && rng_chance(&g.r, 0.5)) {
            layout_heading(&g, &l, &y, LSIM_MEASURE, PICK(&g.r, MEASURES));
            row = 0;
        }
        int rows = rng_int(&g.r, 1, 4);
        for (int k = 0; k < rows && !g.failed; k++)
            layout_row(&g, &l, &st, &y, row++);
    }
    if (g.failed || render_items(&l, &text, p->header_lines + 1, p))
        goto fail;
    sh_buf_free(&l.pool);
    free(l.items);
    if (sh_buf_detach(&text, &p->text, &p->len))
        goto fail_text;
    *out = p;
    return 0;
fail:
    sh_buf_free(&l.pool);
    free(l.items);
fail_text:
    sh_buf_free(&text);
    lsim_free(p);
    return -1;
}

static const char *const LAW_SENTENCES[] = {
    "この法律は、国民が受ける医療の質の向上のための医療機器の研究開発及び普及の促進に関し、基本理念を定め、国の責務等を明らかにすることを目的とする。",
    "国は、前条の基本理念にのっとり、医療機器の研究開発及び普及の促進に関する施策を総合的に策定し、及び実施する責務を有する。",
    "地方公共団体は、基本理念にのっとり、国との適切な役割分担を踏まえて、その地域の状況に応じた施策を策定し、及び実施する責務を有する。",
    "政府は、医療機器の研究開発及び普及の促進に関する施策を実施するため必要な法制上又は財政上の措置その他の措置を講じなければならない。",
    "前項の規定による届出をした者は、厚生労働省令で定めるところにより、その旨を公示しなければならない。",
    "この法律は、公布の日から起算して六月を超えない範囲内において政令で定める日から施行する。",
    "第三条の規定は、令和7年4月1日以後に開始する事業年度について適用する。",
    "AI 及び IoT を活用した機器の取扱いについては、別に政令で定めるところによる。",
    "医療機器等の品質、有効性及び安全性の確保等に関する法律(昭和三十五年法律第百四十五号)第二条第四項に規定する医療機器をいう。",
};

int lsim_generate_prose(uint64_t seed, int width_chars, lsim_page **out)
{
    gen g = {{seed * 0x9E3779B97F4A7C15ull + 7}, 0};
    lsim_page *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->ncols = 1;
    p->labels[0] = calloc(1, 1);
    sh_buf text = SH_BUF_INIT, para = SH_BUF_INIT;
    span *lines = NULL;
    size_t nlines = 0, lines_cap = 0, piece_cap = 0;
    unsigned lineno = 1;
    if (!p->labels[0])
        goto fail;
    int articles = rng_int(&g.r, 3, 12);
    for (int a = 0; a < articles && !g.failed; a++) {
        int heading = a == 0 || rng_chance(&g.r, 0.15);
        if (heading) {
            const char *h = a == 0 ? "【総則】" : "【附則】";
            size_t start = text.len;
            put(&g, &text, h);
            put(&g, &text, "\n");
            if (g.failed || add_piece(p, &piece_cap,
                                      (lsim_piece){lineno++, 0, text.len - start - 1, 0,
                                                   LSIM_SECTION, 0}))
                goto fail;
        }
        sh_buf_clear(&para);
        put(&g, &para, "第");
        put_number(&g, &para, a + 1, 2);
        put(&g, &para, "条 ");
        int sentences = rng_int(&g.r, 1, 3);
        for (int s = 0; s < sentences; s++)
            put(&g, &para, PICK(&g.r, LAW_SENTENCES));
        if (g.failed)
            goto fail;
        nlines = 0;
        if (wrap_text(para.data, para.len, width_chars * 4, &lines, &nlines, &lines_cap))
            goto fail;
        for (size_t i = 0; i < nlines; i++) {
            if (sh_buf_append(&text, para.data + lines[i].off, lines[i].len) ||
                sh_buf_putc(&text, '\n') ||
                add_piece(p, &piece_cap, (lsim_piece){lineno++, 0, lines[i].len, 1, LSIM_CELL, 0}))
                goto fail;
        }
    }
    if (g.failed || sh_buf_detach(&text, &p->text, &p->len))
        goto fail;
    sh_buf_free(&para);
    free(lines);
    *out = p;
    return 0;
fail:
    sh_buf_free(&text);
    sh_buf_free(&para);
    free(lines);
    lsim_free(p);
    return -1;
}
