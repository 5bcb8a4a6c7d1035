// A small fibre-operator taxonomy: four reasons, fifteen examples each.
export const taxonomy = [
  { key: 'outage', name: 'Outage', description: 'No service at all', examples: [
    'My internet is completely down since this morning', 'No connection at all, the fibre light is red', 'Internet not working, nothing loads on any device',
    'Is there an outage in my street? Everything is offline', 'The whole neighbourhood has no internet', 'Connection dead since last night',
    'Our internet went down two hours ago and has not come back', 'Total outage here, no internet no tv', 'Nothing works, the box shows no signal',
    'Is the network down? We have been offline all day', 'No internet for three days now', 'The connection dropped and never came back',
    'internet down again!!', 'We lost all service this afternoon', 'There is no internet at my address since the storm'] },
  { key: 'billing_query', name: 'Billing query', description: 'A question about a bill', examples: [
    'Why is my bill higher this month?', 'I was charged twice for November', 'Can you explain the extra fee on my invoice?',
    'My invoice shows 64.99 instead of 49.99', 'What is this one-off charge on my bill?', 'I do not understand the amount on my latest invoice',
    'The bill went up without notice', 'Please send me a copy of my invoice', 'Why did you charge me for a router?',
    'My monthly price changed, why?', 'There is a credit missing from my bill', 'I was billed after I had already paid',
    'Invoice amount is wrong', 'How is the prorated amount on my bill calculated?', 'Question about my October invoice'] },
  { key: 'moving_house', name: 'Moving house', description: 'Moving to a new address', examples: [
    'I am moving to a new address next month', 'Can I take my subscription to my new house?', 'We are moving on the 1st, what do I need to do?',
    'Is fibre available at my new address in Utrecht?', 'Please transfer my service to Kerkstraat 12', 'Moving house, how do I keep my internet?',
    'I will relocate in March, can the connection move with me?', 'Change of address for my internet contract', 'We bought a house, want to move the service',
    'How long does it take to move my connection?', 'Moving next week, need internet at the new place', 'Can I move my contract to another city?',
    'I am moving abroad, what happens to my contract?', 'new address from next month, please update', 'moving out of the flat soon'] },
  { key: 'compliment', name: 'Compliment', description: 'Thanks and praise', examples: [
    'Thank you so much, everything works perfectly now', 'Great service, the engineer was very friendly', 'Just wanted to say thanks for the quick help',
    'Fantastic speed since the upgrade, well done', 'Your support team is brilliant', 'Thanks a lot, problem solved',
    'Very happy with the installation, thank you', 'Compliments to Sanne from support', 'Excellent help yesterday, much appreciated',
    'Love the new connection, thanks!', 'Thank you for fixing it so fast', 'The technician did a great job',
    'Best provider I have had', 'thanks for sorting it out', 'Really pleased with how you handled my issue'] },
];
