package password

import "testing"

func TestHashCheck(t *testing.T) {
	p := Params{Time: 1, Memory: 1024, Threads: 1}
	h := Hash("正确的密码 horse", p)
	if ok, err := Check(h, "正确的密码 horse"); !ok || err != nil {
		t.Fatalf("right password refused: %v %v", ok, err)
	}
	if ok, _ := Check(h, "正确的密码 horsE"); ok {
		t.Fatal("wrong password accepted")
	}
	if Hash("x", p) == Hash("x", p) {
		t.Fatal("hashes must be salted")
	}
	if _, err := Check("$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("foreign hash format must be an error")
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) < 40 {
		t.Fatalf("secrets %q %q", a, b)
	}
	if Digest(a) == Digest(b) || Digest(a) != Digest(a) {
		t.Fatal("digest must be deterministic and distinct")
	}
	if r := NewReadable(); len(r) != 19 {
		t.Fatalf("readable password %q", r)
	}
}
