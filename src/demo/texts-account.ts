import type { Topic } from './texts.ts';

const thanks = ['Perfect, thank you!', 'Great, thanks {agent}.', 'Thanks for arranging that.', 'Super, thanks!'];
const closing = ["You're welcome! Anything else, just reply here.", 'Happy to help. Have a [nice|great] day!', 'Enjoy! Closing this conversation now.'];

export const accountTopics: Record<string, Topic> = {
  moving: {
    key: 'moving', team: 'Retention', skill: 'moving', tags: ['moving'], priority: [['normal', 90], ['low', 10]],
    scripts: {
      main: {
        subject: ['Moving house', 'Take my internet to my new address', 'Relocation on {moveDate}'],
        steps: [
          ["We're moving to {newAddress} on {moveDate}. Can I take my Fibrelink subscription with me?", 'I am moving on {moveDate}. Is Fibrelink available at {newAddress}?', 'Moving house next month. What do I need to do to keep my internet?'],
          ['Congratulations on the move! Good news: {newAddress} is connected to our fibre network. I can plan the switch so your internet moves with you on {moveDate}. You keep your plan, {plan}, and your router.',
            "Great that you're taking us along! I've checked {newAddress}: fibre is available there. The move is free; shall I schedule the activation for {moveDate}?",
            "Thanks for letting us know. Could you share the new address and moving date? Then I'll check availability right away."],
          ['Does someone need to come to the new address?', 'Yes please, schedule it for {moveDate}.', 'The new address is {newAddress}, moving date {moveDate}.'],
          ["Scheduled: your line at the current address stops on {moveDate} and the new one is activated the same day. If the connection box there is not in use yet, technician {tech} will visit between 13:00 and 17:00. Just bring your router.",
            "All arranged for {moveDate}: fibre is available there. You'll get a confirmation by email. Take the {router} with you and plug it into the fibre box at the new place."],
          thanks, closing,
        ],
        linked: [1, 2],
      },
    },
  },
  upgrade: {
    key: 'upgrade', team: 'Billing', skill: 'billing', tags: ['upgrade', 'sales'], priority: [['normal', 80], ['low', 20]],
    scripts: {
      main: {
        subject: ['Upgrade to {newPlan}', 'Faster internet?', 'What does {newPlan} cost?'],
        steps: [
          ["I'd like faster internet. What does {newPlan} cost compared to my {plan}?", 'Can I upgrade to {newPlan}? We work from home with two people now.', 'Is {newPlan} available at my address?'],
          ['{newPlan} is available at your address and costs {newPrice} per month, {priceDiff} more than your {plan}. You pay the difference only for the days left this month. Shall I switch you?',
            'Yes, you can! {newPlan} gives you {newSpeed} Mbit/s up and down for {newPrice} a month. The switch happens remotely within an hour, no visit needed.'],
          ['Yes, please do it.', 'Sounds good, go ahead.', 'Do I need a new router for that? If not, go ahead.'],
          ["Done! {newPlan} is active on your line. Restart the {router} once to get the new speed. Your next invoice shows the old and new plan for the days each was active.",
            "Done: you're on {newPlan}, active within the hour. Your next invoice shows the old and new plan for the days each was active.",
            "Your {router} handles {newSpeed} Mbit/s fine. I've switched you to {newPlan}; it is active within the hour."],
          thanks, closing,
        ],
        linked: [3],
      },
    },
  },
  downgrade: {
    key: 'downgrade', team: 'Retention', skill: 'retention', tags: ['downgrade', 'retention'], priority: [['normal', 90], ['high', 10]],
    scripts: {
      main: {
        subject: ['Cheaper plan', 'Switch to {newPlan}', 'Lower my monthly costs'],
        steps: [
          ["I'd like to pay less. Can I switch to {newPlan}?", 'We do not need {speed} Mbit/s anymore. What is cheaper?'],
          ['Of course. {newPlan} costs {newPrice} per month and gives {newSpeed} Mbit/s, which is plenty for streaming and video calls. Shall I make the change?',
            'Based on your usage, {newPlan} at {newPrice} would fit well. The change is immediate and prorated on your next invoice.'],
          ['Yes, please change it.', 'OK, let us do that.'],
          ["Done: you're on {newPlan} from today. Your next invoice shows the old plan until today and the new one from today.", "Changed. You'll see the lower price from your next invoice."],
          thanks, closing,
        ],
      },
    },
  },
  cancellation: {
    key: 'cancellation', team: 'Retention', skill: 'retention', tags: ['cancellation', 'churn-risk'], priority: [['high', 70], ['normal', 30]],
    scripts: {
      leaving: {
        subject: ['Cancel my subscription', 'Cancellation', 'Terminate contract'],
        steps: [
          ['I want to cancel my subscription, {reason}.', 'Please cancel my internet per {endDate}. Reason: {reason}.', 'How do I cancel? {reasonCap}.'],
          ["I'm sorry to see you go. May I ask if there's anything we could do to keep you? I could offer {discount} off per month for 12 months.",
            "That's a pity. Before I process it: I can offer a discount of {discount} per month for a year, or a switch to a cheaper plan. Would that change your mind?"],
          ["Thanks, but my decision is final.", 'No thank you, {reason}.', 'Not interested, please just cancel.'],
          ["Understood. Your subscription ends on {endDate}. You'll get a confirmation by email and a return label for the {router}. Thank you for being a customer, {first}.",
            "Done: cancelled per {endDate}, the final invoice will be prorated to that day. Please return the router within 14 days with the label we'll send."],
          ['Thanks for the smooth handling.', 'OK, thank you.'], ['You are welcome, and all the best!', 'Good luck with everything!'],
        ],
      },
      retained: {
        subject: ['Thinking about cancelling', 'Competitor is cheaper', 'Cancel or better price?'],
        steps: [
          ["{competitor} offers fibre for less than I pay now. I'm thinking of switching unless you can do something.", 'I want to cancel, {reason}.', 'My contract is up. Why should I stay?'],
          ["I'd really like to keep you! I can give you {discount} off per month for the next 12 months, and you keep your {plan} with the same speed.",
            "I understand. What I can offer: {discount} discount per month for a year, starting with your next invoice. No new contract period."],
          ['OK, with that discount I will stay.', 'That sounds fair, deal.', 'Fine, I will stay then.'],
          ["Great to hear! The discount of {discount} is active from your next invoice. Thanks for staying with Fibrelink.", "Wonderful. I've added it to your account; you'll see it as a separate line on your invoice."],
          thanks, closing,
        ],
      },
    },
  },
  compliment: {
    key: 'compliment', team: null, skill: null, tags: ['compliment'], priority: [['low', 80], ['normal', 20]],
    scripts: {
      main: {
        subject: ['Thank you!', 'Great service', 'Compliment for {tech}'],
        steps: [
          ['Just wanted to say the technician, {tech}, was great. Friendly and quick, everything works!', 'Compliments to your helpdesk, my problem was solved in 5 minutes. Thanks!',
            'Switched to Fibrelink last year and never had a single problem. Keep it up!', 'Installation went super smooth today. Thanks {tech}!'],
          ["Thank you so much, {first}! I'll pass this on to {tech}, it will make their day.", "That's lovely to hear, thank you for taking the time to let us know!",
            'Thanks a lot! Messages like this make our day. Enjoy your connection!', "Thank you, {first}! I'll pass it on to {tech}. Enjoy the fast internet!"],
          ['😊', 'Thanks!'], closing,
        ],
        linked: [1],
      },
    },
  },
  account: {
    key: 'account', team: null, skill: null, tags: ['account'], priority: [['low', 40], ['normal', 60]],
    scripts: {
      phone: {
        subject: ['New phone number', 'Change my contact details'],
        steps: [
          ['I have a new phone number. Can you update it?', 'My mobile number changed, please update my details.'],
          ['Of course. You can change this yourself in the portal under Profile, or I can do it for you now. What would you like?'],
          ['Please do it for me, the new number ends in {last4}.', 'I will do it in the portal, thanks.'],
          ["Updated. You'll get a confirmation text on the new number.", 'Great, it takes effect immediately.'],
          thanks, closing,
        ],
        linked: [3],
      },
      marketing: {
        subject: ['Stop marketing emails', 'Unsubscribe from offers'],
        steps: [
          ['Please stop sending me marketing emails, I only want service messages.', 'I keep getting offers by email. Can you stop that?'],
          ["Done: I've turned off marketing messages. You'll still get service messages like outage notices and invoices."],
          ['Thanks!', 'Great, thank you.'], closing,
        ],
      },
      partner: {
        subject: ['Add a contact person', 'Add my partner to the account'],
        steps: [
          ['Can you add my partner as a contact on the account?'],
          ["Sure. For privacy, your partner needs to confirm by email. What is the name and email address? I'll send the invitation."],
          ['It is {last} at the same address, I will send you the email address in a minute.'],
          ["Thanks! Once the invitation is confirmed, your partner can call us about the subscription too."],
          thanks, closing,
        ],
      },
    },
  },
};
