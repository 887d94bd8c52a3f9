/* Passwords too common to accept. The list holds what leaked-password
 * studies find at the top of Chinese and international lists, written the
 * way guessers write them; the rules below catch the usual decorations
 * (capitals, digits and symbols at the ends, @ for a, 0 for o), keyboard and
 * alphabet runs and repeated short units, so "Password1", "P@ssw0rd2026!",
 * "Qwerty123" and "Aa1!Aa1!" are all refused without listing each. */
#include "base/valid.h"

#include <ctype.h>
#include <string.h>

/* lower case, after leet is undone; whole passwords and cores alike */
static const char *const common[] = {
	"password", "passwd", "passw", "pass", "pwd", "admin", "administrator",
	"root", "system", "sysadmin", "manager", "master", "welcome", "login",
	"user", "guest", "test", "tester", "default", "changeme", "secret",
	"letmein", "iloveyou", "ilove", "love", "lovely", "loveyou", "monkey",
	"dragon", "football", "baseball", "basketball", "soccer", "superman",
	"batman", "princess", "sunshine", "shadow", "michael", "jordan",
	"charlie", "thomas", "hello", "hellokitty", "freedom", "whatever",
	"trustno", "starwars", "computer", "internet", "google", "samsung",
	"apple", "iphone", "huawei", "xiaomi", "microsoft", "windows", "linux",
	"oracle", "mysql", "database", "server", "network", "security",
	"qwerty", "qwertyuiop", "asdf", "asdfgh", "asdfghjkl", "zxcv", "zxcvbn",
	"zxcvbnm", "qazwsx", "qazwsxedc", "qweasd", "qweasdzxc", "qwer",
	"qwerasdf", "asdfqwer", "1qaz2wsx", "1qaz@wsx", "1q2w3e4r", "1q2w3e",
	"q1w2e3r4", "q1w2e3", "zaq12wsx", "abc", "abcd", "abcde", "abcdef",
	"aaaaaa", "qqqqqq", "iloveu", "trustme",
	/* Chinese favourites */
	"woaini", "woaini1314", "5201314", "1314520", "520520", "woaiwojia",
	"woaiziji", "nihao", "nihaoma", "zhongguo", "china", "beijing",
	"shanghai", "ningbo", "zhejiang", "hangzhou", "shenzhen", "guangzhou",
	"baidu", "taobao", "alibaba", "tencent", "weixin", "wechat", "qq",
	"qqqq", "qq123456", "aa123456", "a123456", "abc123", "abc123456",
	"a123456789", "aa12345678", "asd123", "qwe123", "zxc123", "wang",
	"wangwei", "wangfang", "wangjing", "zhang", "zhangwei", "zhangmin",
	"zhangli", "li", "liwei", "lina", "liqiang", "liu", "liuyang", "chen",
	"chenjing", "yang", "yangyang", "huang", "zhao", "wu", "zhou", "xu",
	"sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao", "zheng",
	"liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng",
	"xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du",
	"ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao",
	"jiayou", "aini", "xiaoming", "laogong", "laopo", "baobei", "tiantian",
	"gonghui", "zonggonghui", "changai", "chanye", "gongren", "laomo",
	"gongjiang", "dangjian", "renshe", "zhengfu", "danwei", "bangong",
	"mima", "zhanghao", "yonghu", "guanli", "guanliyuan", "ceshi",
	"sunlight", "summer", "winter", "spring", "autumn", "monday",
	"friday", "january", "december", "happy", "lucky", "money", "666666",
	"888888", "88888888", "666888", "168168", "147258", "147258369",
	"159357", "123qwe", "123abc", "123asd", "qwe", "asd", "zxc",
	"aabbcc", "abcabc", "abab", "p4ssword", "passwort", "motdepasse",
	"company", "office", "work", "union", "worker", "report", "temp",
	"temporary", "newpass", "newpassword", "mypassword", "mypass",
};

/* Letters and digits in a row on a keyboard or in the alphabet. */
static const char *const runs[] = {
	"abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
	"qwertyuiop", "poiuytrewq", "asdfghjkl", "lkjhgfdsa", "zxcvbnm",
	"mnbvcxz", "01234567890", "09876543210", "qazwsxedcrfvtgbyhnujmikolp",
	"1qaz2wsx3edc4rfv5tgb6yhn", "1q2w3e4r5t6y7u8i9o0p",
	"qwertyuiopasdfghjklzxcvbnm",
};

static char
unleet(char c)
{
	switch (c) {
	case '@': case '4': return 'a';
	case '0': return 'o';
	case '3': return 'e';
	case '1': case '!': case '|': return 'i';
	case '$': case '5': return 's';
	case '7': case '+': return 't';
	case '8': return 'b';
	case '9': return 'g';
	default: return (char)tolower((unsigned char)c);
	}
}

/* letters, and whatever is not ASCII (a password in Chinese characters
 * is not a couple of letters padded out) */
static int
letter(char c)
{
	return isalpha((unsigned char)c) || (unsigned char)c >= 0x80;
}

static int
listed(const char *s)
{
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (!strcmp(s, common[i]))
			return 1;
	return 0;
}

/* the digit under a shifted symbol of the top row: "1qaz@wsx" is typed
 * as "1qaz2wsx" with shift */
static char
unshift(char c)
{
	static const char sym[] = ")!@#$%^&*(";
	const char *at = c ? strchr(sym, c) : NULL;

	return at ? (char)('0' + (at - sym)) : c;
}

static int
is_run(const char *s)
{
	char u[129];
	size_t n = strlen(s);

	if (n < 3 || n >= sizeof(u))
		return 0;
	for (size_t k = 0; k <= n; k++)
		u[k] = unshift(s[k]);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
		if (strstr(runs[i], u))
			return 1;
	return 0;
}

/* "Aa1!Aa1!", "abcabc", "121212": a unit of at most a quarter of the
 * length (or 4 characters) said again and again */
static int
is_repeat(const char *s, size_t n)
{
	for (size_t unit = 1; unit <= 4 && unit * 2 <= n; unit++) {
		size_t i;
		for (i = unit; i < n && s[i] == s[i % unit]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

int
password_is_common(const char *pw)
{
	char low[129], core[129], l1[129];
	size_t n = strlen(pw), a, b, k;

	if (n >= sizeof(low))
		return 0;
	for (k = 0; k < n; k++)
		low[k] = (char)tolower((unsigned char)pw[k]);
	low[n] = '\0';
	if (listed(low) || is_repeat(low, n) || is_run(low))
		return 1;
	/* the core: what is left when the decorations at the ends go, leet
	 * undone ("P@ssw0rd2026!" → "password") */
	for (a = 0; a < n && !letter(low[a]) && low[a] != '@'; a++)
		;
	for (b = n; b > a && !letter(low[b - 1]); b--)
		;
	if (b - a < 4 && n - (b - a) >= 6)
		return 1;       /* "Ab123456789!": a couple of letters padded out */
	for (k = a; k < b; k++) {
		core[k - a] = unleet(low[k]);
		l1[k - a] = low[k] == '1' ? 'l' : core[k - a];
	}
	core[b - a] = l1[b - a] = '\0';
	if (b > a && (listed(core) || listed(l1) || is_run(core) ||
	    is_repeat(core, b - a)))
		return 1;
	/* digits alone once the letters are gone: "Aa123456789" */
	if (b - a <= 2 && is_run(low + b))
		return 1;
	return 0;
}
