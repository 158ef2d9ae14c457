from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Nobody signs up on their own: leads invite colleagues, administrators add the rest."""
        return False
