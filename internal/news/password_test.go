package news

import "testing"

func TestValidatePasswordRefusesGuessablePasswords(t *testing.T) {
	weak := []string{
		"aaaaaaaaaa", "          ", "\t\t\t\t\t\t\t\t\t\t", "1234567890", "0987654321", "abcdefghij",
		"1212121212", "abcabcabcabc", "password123", "Password123", "qwertyuiop", "1qaz2wsx3edc",
		"woaini1314", "aabbaabbaabb", "1111122222",
	}
	for _, p := range weak {
		if err := ValidatePassword(p); ErrorCode(err) != EINVALID {
			t.Errorf("ValidatePassword(%q) = %v, want refused", p, err)
		}
	}
	strong := []string{"正确的密码 horse", "kx7-mq2p-vn8t-ra4w", "Lüliang-Ribao-2023!", "月亮湾的晨报很好看呀"}
	for _, p := range strong {
		if err := ValidatePassword(p); err != nil {
			t.Errorf("ValidatePassword(%q) = %v, want accepted", p, err)
		}
	}
}

func TestCommonPasswordListIsLoaded(t *testing.T) {
	if len(commonSet) < 1000 {
		t.Fatalf("common password list has %d entries, want the embedded list", len(commonSet))
	}
}
